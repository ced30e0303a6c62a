#!/usr/bin/env bash
# The floor under the scheduler benchmark: the four writes that take a pod from creation to Running (create, binding,
# Scheduled event, Running status), back to back for 10,000 pods with nothing else running on them: first through
# the API server, then straight to etcd. Prints pods/s and machine CPU per pod for each.
# Usage: bench/scheduler-floor.sh [KUBECONFIG] [etcd-url] [pods]
# Works in a namespace timon-sched-floor-* of its own on nodes floor-node-*, and deletes them when done.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
kubeconfig=${1:-$repo/.timon/kubeconfig}
[[ -d $repo/compat-tests/target/lib ]] || (cd "$repo" && mvn -B -q -DskipTests package)
# The same client JVM settings as bench/apiserver.sh: the client shares the machine it measures.
exec java -XX:TieredStopAtLevel=1 -XX:+UseZGC -cp "$repo/compat-tests/target/classes:$repo/compat-tests/target/lib/*" \
  dev.timon.bench.SchedulingFloorBench "$kubeconfig" "${2:-http://127.0.0.1:2479}" "${3:-10000}"
