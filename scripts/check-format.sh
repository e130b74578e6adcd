#!/usr/bin/env bash
# Fails when a C++ file is not formatted as .clang-format says (clang-format 14).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null 2>&1; then
  echo "format: clang-format not installed; skipped"
  exit 0
fi
files=$(git ls-files '*.h' '*.cc' 2>/dev/null || find src bench -name '*.h' -o -name '*.cc')
if clang-format --dry-run --Werror $files 2>/tmp/tailor-format.log; then
  echo "format: ok"
else
  head -40 /tmp/tailor-format.log
  echo "format: run clang-format -i on the files above"
  exit 1
fi
