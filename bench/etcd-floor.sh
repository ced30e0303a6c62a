#!/usr/bin/env bash
# The storage floor under the API benchmark's CREATE: the same creates written straight to etcd, with no API server.
# Usage: bench/etcd-floor.sh [etcd-url] [objects] [rate]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
[[ -d $repo/compat-tests/target/lib ]] || (cd "$repo" && mvn -B -q -DskipTests package)
exec java -cp "$repo/compat-tests/target/classes:$repo/compat-tests/target/lib/*" dev.timon.bench.EtcdFloorBench \
  "${1:-http://127.0.0.1:2479}" "${2:-5000}" "${3:-500}"
