#!/usr/bin/env bash
# The storage floor under the API benchmark's CREATE: the same creates written straight to etcd, with no API server.
# Usage: bench/etcd-floor.sh [etcd-url] [objects] [rate]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
[[ -d $repo/compat-tests/target/lib ]] || (cd "$repo" && mvn -B -q -DskipTests package)
# The same client JVM settings as bench/apiserver.sh, so that the two are comparable: with C2 compiling, this client
# alone kept the machine 70% busy and etcd's paced p99 read 27-84 ms instead of 14-22 ms.
exec java -XX:TieredStopAtLevel=1 -XX:+UseZGC -cp "$repo/compat-tests/target/classes:$repo/compat-tests/target/lib/*" dev.timon.bench.EtcdFloorBench \
  "${1:-http://127.0.0.1:2479}" "${2:-5000}" "${3:-500}"
