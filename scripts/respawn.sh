#!/usr/bin/env bash
# respawn.sh CMD...: run CMD, and again whenever it exits, as Compose's `restart: unless-stopped`
# and Kubernetes' restart policy do for the deployed workers (scripts/up.sh runs each worker
# under it). The wait grows from 1 s to 30 s while CMD keeps exiting within a minute of its
# start, so a command that cannot start does not spin. A TERM or INT (make down signals the
# whole process group) stops the loop once CMD, signalled with it, has exited.
set -uo pipefail
child=""
trap '[[ -n "$child" ]] && wait "$child"; exit 0' TERM INT
wait_s=1
while true; do
  started=$SECONDS
  "$@" &
  child=$!
  wait "$child"
  status=$?
  (( SECONDS - started > 60 )) && wait_s=1
  command="$*"
  echo "respawn.sh: exited ($status), starting again in ${wait_s}s: ${command:0:100}" >&2
  sleep "$wait_s"
  wait_s=$(( wait_s * 2 > 30 ? 30 : wait_s * 2 ))
done
