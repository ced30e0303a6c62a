# shellcheck shell=bash
# Node agent (kubelet) launcher for Timon. Sourced by ./timon; defines functions only.
# Needs node-runtime.sh sourced too (containerd_socket) and the node module built
# (mvn -pl node -am package -DskipTests). Started with `setsid -f`, stopped by its recorded PID only.

# Starts the node agent of <home> for node <node-name> with <pod-cidr> unless its recorded PID is alive.
# Extra arguments are passed on (e.g. --node-ip IP, --fail-swap-on=false).
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
  if _node_agent_alive "$pidfile"; then
    return 0
  fi
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # expanded by the inner shell
  setsid -f bash -c 'echo $$ >"$0"; shift; exec "$@"' "$pidfile" _ \
    java -cp "$classes:$lib/*" dev.timon.kubelet.NodeAgentMain \
    --kubeconfig "$home/kubeconfig" --node-name "$node" --containerd-socket "$(containerd_socket "$home")" \
    --data-dir "$home/node" --pod-cidr "$pod_cidr" "$@" >>"$log" 2>&1 </dev/null
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $pidfile ]] && break
    sleep 0.05
  done
  # A refusal (swap on, bad flags) ends the process at once: report it rather than a silent failure.
  sleep 0.5
  if ! _node_agent_alive "$pidfile"; then
    echo "node-agent: did not start; last lines of $log:" >&2
    tail -n 5 "$log" >&2
    return 1
  fi
}

# Stops the node agent of <home> by its recorded PID; pods keep running (runtime_teardown_pods stops them).
node_agent_stop() {
  local home=$1 pidfile="$1/run/node-agent.pid" pid i
  if _node_agent_alive "$pidfile"; then
    pid=$(<"$pidfile")
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 100; i++)); do
      _node_agent_alive "$pidfile" || break
      sleep 0.1
    done
    if _node_agent_alive "$pidfile"; then
      echo "node-agent: $pid ignored SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
  fi
  rm -f "$pidfile"
}

# True when the recorded PID is alive and is a node agent (guards against PID reuse).
_node_agent_alive() {
  local pidfile=$1 pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- dev.timon.kubelet.NodeAgentMain
}
