"""The heartbeat of a running stage: a thread in the process running the task renews the
stage's lease on its job (workers.db.leases) every `stage_heartbeat_s`, for `stage_lease_s`.

A task whose process dies (its pool child killed, or the worker's main process, which takes
its children with it) stops renewing; once the lease runs out the reaper sends the stage
again, long before the broker would redeliver the unacknowledged message (its visibility
timeout). A stage waiting out a retry's countdown has no thread: the retry extends the lease
over the countdown instead (`hold_for`).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from workers.db import leases
from workers.db.session import session_scope
from workers.settings import get_settings

log = logging.getLogger(__name__)


def lease_length() -> timedelta:
    return timedelta(seconds=get_settings().stage_lease_s)


class Heartbeat(threading.Thread):
    def __init__(self, job_id: uuid.UUID, stage: str, task_id: str) -> None:
        super().__init__(name=f"heartbeat-{stage}-{job_id}", daemon=True)
        self.job_id, self.stage, self.task_id = job_id, stage, task_id
        self.stopped = threading.Event()

    def run(self) -> None:
        interval = get_settings().stage_heartbeat_s
        while not self.stopped.wait(interval):
            try:
                with session_scope() as session:
                    held = leases.renew_lease(session, self.job_id, self.stage, self.task_id,
                                              lease_length())
            except Exception:
                # A missed renewal only brings the lease's end closer; the next may succeed
                # (Postgres restarting). The task itself is not disturbed.
                log.warning("job %s: could not renew the %s lease", self.job_id, self.stage,
                            exc_info=True)
                continue
            if not held:  # finished, cancelled, or taken over by another chain
                return


@contextmanager
def heartbeat(job_id: uuid.UUID, stage: str, task_id: str | None) -> Iterator[None]:
    """Renew the stage's lease while the block runs (a task without an id, run outside
    Celery, holds only the lease its start took)."""
    if task_id is None:
        yield
        return
    beat = Heartbeat(job_id, stage, task_id)
    beat.start()
    try:
        yield
    finally:
        beat.stopped.set()
        # A renewal in flight finishes within a database round trip; the thread is a daemon,
        # so a stuck one never holds up the task.
        beat.join(timeout=2.0)


def hold_for(job_id: uuid.UUID, stage: str, task_id: str | None, seconds: float) -> None:
    """Extend the lease over a retry's countdown (plus one lease), so the reaper does not
    take a stage waiting to retry for a lost one. Best effort: when Postgres is what failed,
    the lease lapses and the reaper may send the stage early, which the chain guard makes
    harmless (the retry, no longer in the job's chain, is refused)."""
    if task_id is None:
        return
    try:
        with session_scope() as session:
            leases.renew_lease(session, job_id, stage, task_id,
                               lease_length() + timedelta(seconds=seconds))
    except Exception:
        log.warning("job %s: could not extend the %s lease over its retry", job_id, stage,
                    exc_info=True)
