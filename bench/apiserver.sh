#!/usr/bin/env bash
# API server benchmark: GET/CREATE latency at 50 concurrent clients, LIST of 10,000 pods, watch fan-out to
# 1,000 watchers. Usage: bench/apiserver.sh [KUBECONFIG] [objects] [pods] [watchers]
# Point it at any cluster's kubeconfig to compare; it works in a namespace timon-bench-<run> of its own and deletes it after.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
kubeconfig=${1:-$repo/.timon/kubeconfig}
[[ -d $repo/compat-tests/target/lib ]] || (cd "$repo" && mvn -B -q -DskipTests package)
# The client shares the machine it measures: C1 only (C2 compiled it for seconds into the paced run) and ZGC (G1
# paused it up to 14 ms during a paced run, and a pause is charged to every request in flight).
exec java -XX:TieredStopAtLevel=1 -XX:+UseZGC -cp "$repo/compat-tests/target/classes:$repo/compat-tests/target/lib/*" dev.timon.bench.ApiServerBench \
  "$kubeconfig" "${2:-5000}" "${3:-10000}" "${4:-1000}"
