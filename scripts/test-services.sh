#!/usr/bin/env bash
# Runs pytest. The service tests start what they need themselves (SeaweedFS, Celery workers,
# uvicorn) through fixtures; Postgres, Redis and RabbitMQ are the machine's.
set -euo pipefail
pytest_bin="$1"; shift
exec "$pytest_bin" "$@"
