# shellcheck shell=bash
# A node's service proxy and the cluster DNS, started and stopped by recorded PID only. Functions only; needs
# scripts/process.sh. Both read <home>/kubeconfig and run from node/target (classes and lib/).
# Settings: TIMON_PROXY_TABLE (nftables table, default timon-proxy), TIMON_DNS_LISTEN (default <node IP>:1053),
# TIMON_NODE_IP (the address kube-dns's EndpointSlice points at; default: the InternalIP, on the default route),
# TIMON_NETNS (the network namespace the proxy and its table live in; default the host's).

_node_classpath() {
  local repo=${TIMON_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
  echo "$repo/node/target/classes:$repo/node/target/lib/*"
}

# proxy_start <home> <node-name>: pid <home>/run/proxy.pid, log <home>/logs/proxy.log.
proxy_start() {
  local home=$1 node=$2 pidfile="$1/run/proxy.pid"
  process_alive "$pidfile" "dev.timon.proxy.ProxyMain" && return 0
  mkdir -p "$home/run" "$home/logs"
  node_netns
  process_spawn "$pidfile" "$home/logs/proxy.log" "${NODE_NETNS[@]}" java -Xmx256m -cp "$(_node_classpath)" dev.timon.proxy.ProxyMain \
    --kubeconfig "$home/kubeconfig" --node-name "$node" --table "${TIMON_PROXY_TABLE:-timon-proxy}"
}

# proxy_stop <home>: SIGTERM (the proxy removes its table itself), then removes the table in case it was killed.
proxy_stop() {
  local home=$1 table=${TIMON_PROXY_TABLE:-timon-proxy}
  process_stop "$home/run/proxy.pid" "dev.timon.proxy.ProxyMain" "service proxy"
  # Adding first makes the delete succeed whether or not the table is still there.
  node_netns
  printf 'add table ip %s\ndelete table ip %s\n' "$table" "$table" | "${NODE_NETNS[@]}" nft -f -
}

# dns_start <home> [node-name]: pid <home>/run/dns.pid, log <home>/logs/dns.log.
dns_start() {
  local home=$1 node=${2:-} pidfile="$1/run/dns.pid" args=()
  process_alive "$pidfile" "dev.timon.dns.DnsMain" && return 0
  mkdir -p "$home/run" "$home/logs"
  [[ -n ${TIMON_NODE_IP:-} ]] && args+=(--advertise "$TIMON_NODE_IP")
  [[ -n $node ]] && args+=(--node-name "$node")
  [[ -n ${TIMON_DNS_LISTEN:-} ]] && args+=(--listen "$TIMON_DNS_LISTEN")
  process_spawn "$pidfile" "$home/logs/dns.log" java -Xmx256m -cp "$(_node_classpath)" dev.timon.dns.DnsMain \
    --kubeconfig "$home/kubeconfig" "${args[@]}"
}

# dns_stop <home>: SIGTERM; the DNS server withdraws kube-dns's EndpointSlice on the way out.
dns_stop() {
  process_stop "$1/run/dns.pid" "dev.timon.dns.DnsMain" "cluster DNS"
}
