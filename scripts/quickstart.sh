#!/usr/bin/env bash
# The main job: installs what Tailor needs, builds it and runs `tailor quickstart`, which imports
# a demo dataset and serves Personalize's API. Extra arguments go to `tailor quickstart`
# (e.g. --movielens ../shared/datasets/ml-latest-small, --port 0, --no-serve).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
exec ./build/src/cli/tailor quickstart "$@"
