#!/usr/bin/env bash
# The runtime's floor under the pod startup benchmark: 30 pods started at once straight through CRI (no API server,
# scheduler or node agent), as p50/p99. Usage: bench/runtime-floor.sh [containerd-socket] [count] [image]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
socket=${1:-$repo/.timon/containerd/containerd.sock}
[[ -d $repo/compat-tests/target/lib ]] || (cd "$repo" && mvn -B -q -DskipTests package)
exec timeout 300 java -XX:TieredStopAtLevel=1 -cp "$repo/compat-tests/target/classes:$repo/compat-tests/target/lib/*" \
  dev.timon.bench.RuntimeFloorBench "$socket" "${@:2}"
