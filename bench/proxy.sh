#!/usr/bin/env bash
# Service proxy sync benchmark: one full sync (plan, render, one `nft -f`) of 1,000 Services x 10 endpoints, five
# times. Runs in a private network namespace (unshare --net), so the host's nftables rules are never touched.
# Usage (as root): bench/proxy.sh [services] [endpoints-per-service]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
[[ -d $repo/node/target/lib ]] || (cd "$repo" && mvn -B -q -DskipTests package)
exec unshare --net java -cp "$repo/node/target/classes:$repo/node/target/lib/*" dev.timon.proxy.ProxySyncBench \
  "${1:-1000}" "${2:-10}"
