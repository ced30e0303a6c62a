# shellcheck shell=bash
# Node agent (kubelet) launcher for Timon. Sourced by ./timon after process.sh and node-runtime.sh; defines
# functions only. Needs the node module built (target/classes and target/lib).

# Starts the node agent of <home> for node <node-name> with <pod-cidr> unless it already runs. Extra arguments
# are passed on (e.g. --node-ip IP, --fail-swap-on=false). With TIMON_NETNS set, it runs in that network namespace.
node_agent_start() {
  local home=$1 node=$2 pod_cidr=$3
  [[ -n $home && -n $node && -n $pod_cidr ]] || { echo "usage: node_agent_start <home> <node-name> <pod-cidr> [flags]" >&2; return 2; }
  shift 3
  local repo=${TIMON_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
  local pidfile="$home/run/node-agent.pid" log="$home/logs/node-agent.log"
  local classes="$repo/node/target/classes" lib="$repo/node/target/lib"
  [[ -d $classes && -d $lib ]] || { echo "node-agent: not built: run 'mvn -pl node -am package -DskipTests'" >&2; return 1; }
  [[ -f $home/kubeconfig ]] || { echo "node-agent: $home/kubeconfig missing: start the control plane first" >&2; return 1; }
  mkdir -p "$home/run" "$home/logs" "$home/node"
  process_alive "$pidfile" dev.timon.kubelet.NodeAgentMain && return 0
  node_netns
  # C1 only: the agent's work comes in bursts (30 pods at once), between which the JVM's C2 compiler recompiled
  # hundreds of methods per burst, 2 of the agent's 3 s of CPU for 30 pod starts; with C1 alone it used 1.2 s.
  process_spawn "$pidfile" "$log" "${NODE_NETNS[@]}" java -XX:TieredStopAtLevel=1 -cp "$classes:$lib/*" dev.timon.kubelet.NodeAgentMain \
    --kubeconfig "$home/kubeconfig" --node-name "$node" --containerd-socket "$(containerd_socket "$home")" \
    --data-dir "$home/node" --pod-cidr "$pod_cidr" --pki-dir "$home/pki" "$@" || return 1
  # A refusal (swap on, bad flags) ends the process at once: report it rather than a silent failure.
  sleep 0.5
  if ! process_alive "$pidfile" dev.timon.kubelet.NodeAgentMain; then
    echo "node-agent: did not start; last lines of $log:" >&2
    tail -n 5 "$log" >&2
    return 1
  fi
}

# Stops the node agent of <home> by its recorded PID; pods keep running (runtime_teardown_pods stops them).
node_agent_stop() {
  process_stop "$1/run/node-agent.pid" dev.timon.kubelet.NodeAgentMain "node agent"
}
