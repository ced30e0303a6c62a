#!/usr/bin/env bash
# Pod startup latency for 30 pods created at once (image present), as p50/p99.
# Usage: bench/pod-startup.sh <kubeconfig> <node-name> [count] [image]
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[[ -d $repo/node/target/lib ]] || { echo "build first: mvn -pl node -am package -DskipTests" >&2; exit 1; }
exec java -cp "$repo/node/target/lib/*" "$repo/bench/PodStartup.java" "$@"
