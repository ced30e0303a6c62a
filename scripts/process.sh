# shellcheck shell=bash
# Starting and stopping the daemons Timon runs, by recorded PID only (never by name). Functions only.

# True when the PID in <pidfile> is alive and its command line mentions <marker> (guards against PID reuse).
process_alive() {
  local pidfile=$1 marker=$2 pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$marker"
}

# Starts <command...> detached in its own session, output appended to <log>, its PID written to <pidfile>.
process_spawn() {
  local pidfile=$1 log=$2
  shift 2
  rm -f "$pidfile"
  # The inner shell records its own PID and then becomes the daemon, so the PID is the daemon's.
  # shellcheck disable=SC2016 # expanded by the inner shell
  setsid -f bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >>"$log" 2>&1 </dev/null
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $pidfile ]] && return 0
    sleep 0.05
  done
  echo "timon: could not start $1" >&2
  return 1
}

# Sets the array NODE_NETNS to the command prefix that runs a node's daemons (containerd, node agent, service proxy)
# in the network namespace TIMON_NETNS (a name under /run/netns), or to nothing when it is unset: a second node on one
# machine. nsenter rather than 'ip netns exec', which remounts /sys and hides the cgroup tree.
# shellcheck disable=SC2034 # used by the callers
node_netns() {
  NODE_NETNS=()
  [[ -z ${TIMON_NETNS:-} ]] || NODE_NETNS=(nsenter "--net=/run/netns/$TIMON_NETNS")
}

# Sends SIGTERM to the recorded PID, waits up to 10 s, then SIGKILL; removes the PID file.
process_stop() {
  local pidfile=$1 marker=$2 what=$3 pid i
  if process_alive "$pidfile" "$marker"; then
    pid=$(<"$pidfile")
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 100; i++)); do
      process_alive "$pidfile" "$marker" || break
      sleep 0.1
    done
    if process_alive "$pidfile" "$marker"; then
      echo "timon: $what ($pid) ignored SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
  fi
  rm -f "$pidfile"
}

