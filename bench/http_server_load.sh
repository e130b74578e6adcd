#!/usr/bin/env bash
# Load test of the HTTP layer alone: wrk against bench/http_echo_server (a trivial JSON handler).
# Usage: bench/http_server_load.sh [seconds] [connections] [server threads]
#   (after ./scripts/build.sh; HTTP_ECHO_BIN overrides the server binary)
# Prints wrk's requests/s and latency distribution. Builds nothing itself.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
threads=${3:-2}
server=${HTTP_ECHO_BIN:-build/bench/http_echo_server}
out=$(mktemp)
"$server" "$threads" >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do grep -q 'listening on' "$out" && break; sleep 0.1; done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$out")
[ -n "$url" ] || { echo "http_echo_server did not start" >&2; exit 1; }
echo "server $url, $threads threads"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "$url/echo"
