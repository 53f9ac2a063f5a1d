#!/usr/bin/env bash
# `make down`: stop exactly what scripts/up.sh started (the process groups whose leaders'
# pids are in var/run/*.pid), politely first, then for good.
set -uo pipefail
cd "$(dirname "$0")/.."
RUN=var/run
shopt -s nullglob
for pidfile in "$RUN"/*.pid; do
  name="$(basename "$pidfile" .pid)"
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$name did not stop in 10 s; killing"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
    fi
    echo "stopped $name (pid $pid)"
  fi
  rm -f "$pidfile"
done
