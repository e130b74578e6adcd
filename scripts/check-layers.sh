#!/usr/bin/env bash
# Fails when a file includes a header of a higher layer (architecture.md: dependencies point
# down only: cli → api → core → serve → algo → data → store → common).
set -euo pipefail
cd "$(dirname "$0")/../src"
layers=(common store data algo serve core api cli)
rank() { local i; for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && echo "$i" && return; done; echo -1; }
status=0
for dir in "${layers[@]}"; do
  [ -d "$dir" ] || continue
  mine=$(rank "$dir")
  while IFS= read -r line; do
    file=${line%%:*}
    inc=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$line")
    theirs=$(rank "$inc")
    if [ "$theirs" -gt "$mine" ]; then
      echo "layering: $file includes a $inc/ header, but $dir/ sits below $inc/"
      status=1
    fi
  done < <(grep -rnE '^#include "[a-z_]+/' "$dir" --include='*.h' --include='*.cc' || true)
done
[ $status -eq 0 ] && echo "layering: ok"
exit $status
