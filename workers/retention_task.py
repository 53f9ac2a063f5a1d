"""The retention sweep as a Celery task, for beat (on the webhooks queue, like the reaper). Its
work is in `workers.retention`, which the API also uses and so must not define tasks."""

from __future__ import annotations

from workers.app import RETENTION_TASK, app
from workers.retention import purge_expired_jobs


@app.task(name=RETENTION_TASK)
def purge_expired() -> int:
    return purge_expired_jobs()
