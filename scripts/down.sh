#!/usr/bin/env bash
# `make down`: stop exactly what scripts/up.sh started (the process groups whose leaders'
# pids are in var/run/*.pid): all signalled at once, waited for together, and whatever still
# runs after the grace period killed. A worker killed mid-task leaves its message unacknowledged;
# Redis hands it out again after the visibility timeout (RT_VISIBILITY_TIMEOUT_S).
set -uo pipefail
cd "$(dirname "$0")/.."
RUN=var/run
GRACE_S="${DOWN_GRACE_S:-4}"
shopt -s nullglob

declare -A running=()  # name -> pid
for pidfile in "$RUN"/*.pid; do
  name="$(basename "$pidfile" .pid)"
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    running[$name]=$pid
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
  fi
done

deadline=$(( $(date +%s%N) + GRACE_S * 1000000000 ))
while (( ${#running[@]} )) && (( $(date +%s%N) < deadline )); do
  for name in "${!running[@]}"; do
    if ! kill -0 "${running[$name]}" 2>/dev/null; then
      echo "stopped $name (pid ${running[$name]})"
      unset "running[$name]"
    fi
  done
  sleep 0.05
done
for name in "${!running[@]}"; do
  pid="${running[$name]}"
  echo "$name did not stop in ${GRACE_S} s; killing (pid $pid)"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
done
# The process groups' other members (pool children) go with their leaders' group signal; wait
# for the leaders to be gone before removing the pid files.
for pid in "${running[@]}"; do
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
done
rm -f "$RUN"/*.pid
