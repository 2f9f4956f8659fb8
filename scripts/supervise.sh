# shellcheck shell=bash
# Foreground supervision for scripts/dev.sh (sourced after common.sh): everything started
# below the sourcing script stops together, whatever ends it:
#   - SIGINT, SIGTERM or SIGHUP to the script (npm passes them on: package.json runs it with
#     `exec`, so no shell sits between npm and it);
#   - the end of the process that started it (npm, a terminal, a supervisor), even by SIGKILL;
#   - the end of any app in SUPERVISED_PIDS.
# Each process below the script gets SIGTERM, then SIGKILL if still there after 15 s; then
# on_stop runs if the script defines it. Use: supervise_signals early, start the apps with
# `cmd & SUPERVISED_PIDS+=($!)`, then supervise (never returns).

SUPERVISED_PIDS=()
SUPERVISOR_PARENT=$PPID
STOP_GRACE_TENTHS=${STOP_GRACE_TENTHS:-150}

# Every process below $1, deepest first.
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    descendants "$child"
    echo "$child"
  done
}

# shellcheck disable=SC2317 # run by the traps
stop_all() {
  local status=${1:-0} pid left
  trap - INT TERM HUP EXIT
  log "stopping"
  left=$(descendants $$)
  # shellcheck disable=SC2086 # a list of pids
  [ -z "$left" ] || kill -TERM $left 2>/dev/null || true
  # The edge flushes what it read before it exits: give the apps time, then make sure.
  for _ in $(seq 1 "$STOP_GRACE_TENTHS"); do
    left=$(for pid in $left; do if kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi; done)
    [ -n "$left" ] || break
    sleep 0.1
  done
  if [ -n "$left" ]; then
    log "killing what did not stop: $left"
    # shellcheck disable=SC2086 # a list of pids
    kill -KILL $left 2>/dev/null || true
  fi
  if declare -F on_stop >/dev/null; then on_stop || true; fi
  exit "$status"
}

supervise_signals() {
  trap 'stop_all 0' INT TERM HUP
  trap 'stop_all $?' EXIT
}

supervise() {
  local pid
  while true; do
    # A trapped signal interrupts this wait at once; nothing sleeps past the script.
    sleep 1 &
    wait $! || true
    for pid in "${SUPERVISED_PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { log "an app stopped (pid $pid): stopping everything"; stop_all 1; }
    done
    if [ "$(ps -o ppid= $$ | tr -d ' ')" != "$SUPERVISOR_PARENT" ]; then
      log "the process that started this one is gone: stopping everything"
      stop_all 0
    fi
  done
}
