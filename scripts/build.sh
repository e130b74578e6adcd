#!/usr/bin/env bash
# Configures and builds Tailor into build/ (Ninja, RelWithDebInfo unless BUILD_TYPE is set).
# CI=true turns warnings into errors.
set -euo pipefail
cd "$(dirname "$0")/.."
werror=OFF
if [ "${CI:-}" = "true" ]; then werror=ON; fi
cmake -S . -B build -G Ninja \
  -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DTAILOR_WERROR="$werror" \
  -DTAILOR_BUILD_TESTS=ON -DTAILOR_BUILD_BENCHMARKS=ON >/dev/null
ninja -C build -j "$(nproc)"
