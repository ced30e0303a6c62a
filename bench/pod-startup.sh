#!/usr/bin/env bash
# Pod startup latency for 30 pods created at once (image present), as p50/p99.
# Usage: bench/pod-startup.sh <kubeconfig> <node-name> [count] [image]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
(($# >= 2)) || { echo "usage: $0 <kubeconfig> <node-name> [count] [image]" >&2; exit 2; }
[[ -d $repo/compat-tests/target/lib ]] || (cd "$repo" && mvn -B -q -DskipTests package)
# The program bounds itself (2 min for the pods, 1 min for their removal); this is the backstop.
# C1 only: the client shares the machine with the node it measures, and C2 compiling it would take CPU from the pods.
exec timeout 300 java -XX:TieredStopAtLevel=1 -cp "$repo/compat-tests/target/classes:$repo/compat-tests/target/lib/*" \
  dev.timon.bench.PodStartupBench "$@"
