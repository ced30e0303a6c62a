#!/usr/bin/env bash
# Scheduler benchmark: starts 1,000 hollow nodes in the bench process, creates 10,000 unassigned pods and prints
# pods bound per second (creation to binding, seen through an informer), then the time for a 1,000-replica Deployment
# to become fully Available. Usage: bench/scheduler.sh [KUBECONFIG] [nodes] [pods] [replicas]
# Works in namespace timon-sched-bench on nodes bench-node-*, and deletes both when done.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
kubeconfig=${1:-$repo/.timon/kubeconfig}
[[ -d $repo/compat-tests/target/lib ]] || (cd "$repo" && mvn -B -q -DskipTests package)
exec java -Xmx2g -XX:TieredStopAtLevel=1 -cp "$repo/compat-tests/target/classes:$repo/compat-tests/target/lib/*" dev.timon.bench.SchedulerBench \
  "$kubeconfig" "${2:-1000}" "${3:-10000}" "${4:-1000}"
