"""The heartbeat of running stages: one thread per process renews the lease
(workers.db.leases) of every stage running in it, each `stage_heartbeat_s` after it started
or was last renewed, for `stage_lease_s`.

A task whose process dies (its pool child killed, or the worker's main process, which takes
its children with it) stops renewing; once the lease runs out the reaper sends the stage
again, long before the broker would redeliver the unacknowledged message (its visibility
timeout). A stage waiting out a retry's countdown is not renewed: the retry extends the lease
over the countdown instead (`hold_for`).

One thread for the process rather than one per task: almost every stage ends long before its
first renewal, and starting and joining a thread for each was CPU paid by every task.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from workers.db import leases
from workers.db.session import session_scope
from workers.settings import get_settings

log = logging.getLogger(__name__)


def lease_length() -> timedelta:
    return timedelta(seconds=get_settings().stage_lease_s)


@dataclass(eq=False)  # held by identity: the same stage may be held twice (a retry's overlap)
class Held:
    job_id: uuid.UUID
    stage: str
    task_id: str
    due: float  # time.monotonic() of its next renewal


# Renews one lease; False when the stage is no longer the task's to hold.
Renew = Callable[[Held], bool]


def _renew_in_postgres(held: Held) -> bool:
    with session_scope() as session:
        return leases.renew_lease(session, held.job_id, held.stage, held.task_id,
                                  lease_length())


class Renewer:
    """The leases held in this process and the thread that renews them, started on first
    use. The thread sleeps until the earliest renewal is due, or for one interval when no
    lease is held: a lease taken meanwhile is due no earlier than that, so taking one never
    needs to wake the thread."""

    def __init__(self, renew: Renew = _renew_in_postgres,
                 interval: Callable[[], float] = lambda: get_settings().stage_heartbeat_s) -> None:
        self._renew = renew
        self._interval = interval
        self._lock = threading.Lock()
        self._held: set[Held] = set()
        self._thread: threading.Thread | None = None

    def hold(self, job_id: uuid.UUID, stage: str, task_id: str) -> Held:
        held = Held(job_id, stage, task_id, time.monotonic() + self._interval())
        with self._lock:
            self._held.add(held)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="stage-leases",
                                                daemon=True)
                self._thread.start()
        return held

    def release(self, held: Held) -> None:
        # A renewal in flight may still land: its UPDATE is guarded (a finished stage, a job
        # that moved on or another chain's task renews nothing), so it needs no waiting for.
        with self._lock:
            self._held.discard(held)

    def holding(self) -> int:
        with self._lock:
            return len(self._held)

    def _run(self) -> None:
        while True:
            try:
                self._beat()
            except Exception:
                # The thread must outlive anything one beat meets: without it every stage
                # of this process would lose its lease and be sent again.
                log.exception("the lease renewer's beat failed; trying again")
                time.sleep(1.0)

    def _beat(self) -> None:
        """Sleep until the next renewal is due, or renew what is due."""
        now = time.monotonic()
        with self._lock:
            due = [held for held in self._held if held.due <= now]
            wake = min((held.due for held in self._held), default=now + self._interval())
        if not due:
            time.sleep(max(0.0, wake - now))
            return
        for held in due:
            held.due = time.monotonic() + self._interval()
            try:
                still_held = self._renew(held)
            except Exception:
                # A missed renewal only brings the lease's end closer; the next may succeed
                # (Postgres restarting). The task itself is not disturbed.
                log.warning("job %s: could not renew the %s lease", held.job_id, held.stage,
                            exc_info=True)
                continue
            if not still_held:  # finished, cancelled, or taken over by another chain
                self.release(held)


_renewer = Renewer()


def _after_fork_in_child() -> None:
    # A forked pool child inherits the leases but not the thread (nor a sane lock).
    global _renewer
    _renewer = Renewer()


os.register_at_fork(after_in_child=_after_fork_in_child)


@contextmanager
def heartbeat(job_id: uuid.UUID, stage: str, task_id: str | None) -> Iterator[None]:
    """Renew the stage's lease while the block runs (a task without an id, run outside
    Celery, holds only the lease its start took)."""
    if task_id is None:
        yield
        return
    renewer = _renewer
    held = renewer.hold(job_id, stage, task_id)
    try:
        yield
    finally:
        renewer.release(held)


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
