#!/usr/bin/env bash
# Load test of the control plane: DescribeDatasetGroup under wrk against a real `tailor serve`.
# Usage: bench/control_plane_load.sh [seconds] [connections]   (after ./scripts/build.sh)
# Prints wrk's requests/s and latency distribution.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
tailor=${TAILOR_BIN:-build/src/cli/tailor}
data=$(mktemp -d)
out=$(mktemp)
"$tailor" serve --data-dir "$data" --port 0 --log-level warn >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data" "$out"' EXIT
for _ in $(seq 100); do grep -q 'listening on' "$out" && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$out")
arn=$(curl -sf -X POST "$url/" -H 'Content-Type: application/x-amz-json-1.1' \
  -H 'X-Amz-Target: AmazonPersonalize.CreateDatasetGroup' -d '{"name":"bench"}' |
  sed -n 's/.*"datasetGroupArn":"\([^"]*\)".*/\1/p')
echo "server $url, dataset group $arn"
TAILOR_ARN="$arn" wrk -t2 -c"$connections" -d"${seconds}s" --latency \
  -s bench/describe_dataset_group.lua "$url/"
