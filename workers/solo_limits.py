"""Time and memory limits for a worker running the solo pool.

The workers that run one task at a time (parse, score, rewrite, upload, webhooks) use Celery's
solo pool: the task runs in the worker's own process. A prefork pool of one child cost each
task about 1.3 ms of CPU more (bench.queue, on 2 cores: 8.5 against 7.3 ms a parse task),
the request and its outcome pickled through pipes between the worker and its child. Celery
enforces time limits and memory recycling only in prefork, so this step gives the solo pool
the same bounds:

- the soft limit raises `SoftTimeLimitExceeded` in the task (a SIGALRM timer, where prefork's
  parent sends SIGUSR1), so the task records its retry or failure as it would in prefork;
- the hard limit ends the process: faulthandler's watchdog is a C thread that fires even
  while the task holds the GIL in C code (a regular expression that backtracks, say), and it
  writes every thread's traceback to stderr first. As when a prefork child is killed, the
  stage's lease stops being renewed and the reaper sends the stage again (a stage started
  `max_stage_attempts` times fails its job); the worker's supervisor starts a new worker
  (Compose's and Kubernetes' restart policies, scripts/up.sh's loop);
- after a task that leaves the process over `worker_max_memory_per_child`, the worker shuts
  down warmly (SIGTERM to itself) for its supervisor to start afresh. `worker_max_tasks_per_
  child` applies to prefork children only: here the memory bound alone recycles.

Only when the worker runs in the main thread (a `celery worker` process): an in-process test
worker runs its tasks in another thread, where a signal cannot reach them.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import threading
from typing import Any

from celery import bootsteps
from celery.concurrency.solo import TaskPool as SoloPool
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import task_postrun, task_prerun

log = logging.getLogger(__name__)


class Limits:
    """One task's soft and hard limits in this process, armed before it runs and disarmed
    after. Usable without Celery (tests arm it around plain code)."""

    def __init__(self) -> None:
        self.soft: float | None = None
        self.running = False

    def install(self) -> None:
        signal.signal(signal.SIGALRM, self._on_alarm)

    def arm(self, soft: float | None, hard: float | None) -> None:
        self.soft = soft
        self.running = True
        if soft:
            signal.setitimer(signal.ITIMER_REAL, soft)
        if hard:
            faulthandler.dump_traceback_later(hard, exit=True)

    def disarm(self) -> None:
        self.running = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()

    def _on_alarm(self, signum: int, frame: Any) -> None:
        if self.running:  # a timer that fired as the task ended is not the task's
            self.running = False
            raise SoftTimeLimitExceeded(f"soft time limit ({self.soft}s) exceeded")


def task_limits(task: Any) -> tuple[float | None, float | None]:
    """(soft, hard) seconds, as prefork reads them: the message's own (`timelimit`, which
    Celery stamps from the sender's task settings) first, then the task's."""
    hard, soft = getattr(task.request, "timelimit", None) or (None, None)
    return soft or task.soft_time_limit, hard or task.time_limit


_PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def resident_kib() -> int:
    """This process's resident memory now, in KiB. Not `ru_maxrss`: Linux carries the peak
    over an exec, so a worker started by a large process (a test run, a benchmark) would
    start out "over" its bound."""
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * _PAGE_KIB


def over_memory(limit_kib: int | None) -> int | None:
    """This process's resident memory in KiB when it is over `limit_kib`, else None."""
    if not limit_kib:
        return None
    held = resident_kib()
    return held if held > limit_kib else None


class SoloLimits(bootsteps.StartStopStep):
    """Arms `Limits` around every task of a solo-pool worker; checks memory after each."""

    requires = ("celery.worker.components:Pool",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.limits: Limits | None = None
        self.memory_kib: int | None = None
        self.stopping = False

    def start(self, worker: Any) -> None:
        if not isinstance(worker.pool, SoloPool):
            return
        if threading.current_thread() is not threading.main_thread():
            log.warning("solo pool outside the main thread: time limits not enforced")
            return
        self.limits = Limits()
        self.limits.install()
        self.memory_kib = worker.app.conf.worker_max_memory_per_child
        task_prerun.connect(self._before, weak=False, dispatch_uid="solo-limits-before")
        task_postrun.connect(self._after, weak=False, dispatch_uid="solo-limits-after")

    def stop(self, worker: Any) -> None:
        if self.limits is not None:
            task_prerun.disconnect(dispatch_uid="solo-limits-before")
            task_postrun.disconnect(dispatch_uid="solo-limits-after")
            self.limits.disarm()
            self.limits = None

    def _before(self, task: Any = None, **_: Any) -> None:
        if self.limits is not None and task is not None:
            self.limits.arm(*task_limits(task))

    def _after(self, task_id: str = "", **_: Any) -> None:
        if self.limits is None:
            return
        self.limits.disarm()
        held = over_memory(self.memory_kib)
        if held is not None and not self.stopping:
            self.stopping = True
            log.warning("worker at %d MiB after task %s (limit %d MiB): shutting down to be "
                        "started afresh", held // 1024, task_id, (self.memory_kib or 0) // 1024)
            os.kill(os.getpid(), signal.SIGTERM)
