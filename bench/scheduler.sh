#!/usr/bin/env bash
# Scheduler benchmark: starts 1,000 hollow nodes in the bench process, creates 10,000 unassigned pods and prints
# pods bound per second (creation to binding, seen through an informer), then the time for a 1,000-replica Deployment
# to become fully Available. Usage: bench/scheduler.sh [KUBECONFIG] [nodes] [pods] [replicas]
# Works in namespace timon-sched-bench on nodes bench-node-*, and deletes both when done.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
kubeconfig=${1:-$repo/.timon/kubeconfig}
[[ -d $repo/compat-tests/target/lib ]] || (cd "$repo" && mvn -B -q -DskipTests package)
# The hollow nodes' and informers' fabric8 clients (JDK HttpClient, JSSE) prefer ChaCha20-Poly1305: this process runs
# C1-only, and without C2 the JDK's AES-GCM runs without its AES-NI/CLMUL intrinsics (GHASH in plain Java was a third
# of this process's sampled CPU; with ChaCha20 about a twentieth). The API server offers all three suites.
exec java -Xmx2g -XX:TieredStopAtLevel=1 \
  -Djdk.tls.client.cipherSuites=TLS_CHACHA20_POLY1305_SHA256,TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384 -cp "$repo/compat-tests/target/classes:$repo/compat-tests/target/lib/*" dev.timon.bench.SchedulerBench \
  "$kubeconfig" "${2:-1000}" "${3:-10000}" "${4:-1000}"
