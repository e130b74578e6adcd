#!/usr/bin/env bash
# Installs what Tailor needs, builds it and runs every test: the layering and format checks,
# the GoogleTest units (ctest) and the boto3 / AWS CLI end-to-end tests against a real server.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/check-layers.sh
./scripts/check-format.sh
./scripts/build.sh
echo "== unit tests (ctest)"
ctest --test-dir build --output-on-failure -j "$(nproc)" --no-tests=error
echo "== end-to-end tests (boto3, AWS CLI)"
TAILOR_BIN="$PWD/build/src/cli/tailor" python3 tests/e2e/run_tests.py -q
