"""Replace a recycled pool child at once, not up to five seconds later.

A prefork child exits after `worker_max_tasks_per_child` tasks and the pool starts another.
When a task arrives while the old child is still winding down, billiard does not see the exit
through the child's sentinel and the replacement waits for the pool's upkeep timer, which
Celery runs every 5 s (celery/celery#9588, open): the task waits with it. Measured here, a
light stage's task waited 4.9–5.1 s once per recycle, and a 200-job benchmark's last job sat
in the upload queue for 4 s with the machine idle. This worker step runs the same upkeep
(`maintain_pool`: reap exited children, start their replacements) every `UPKEEP_INTERVAL_S`.
Each run wakes the worker's event loop, about 0.5 ms of CPU here (an idle worker used 3 ms a
second with it every 0.25 s, 1 ms without), so once a second: a recycle costs a waiting task
at most a second.
"""

from __future__ import annotations

from typing import Any

from celery import bootsteps

UPKEEP_INTERVAL_S = 1.0


class PoolUpkeep(bootsteps.StartStopStep):
    """Runs the pool's `maintain_pool` on the worker's event loop every UPKEEP_INTERVAL_S
    (pools without one, solo and threads, are left alone)."""

    requires = ("celery.worker.components:Pool",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.timer: Any = None

    def register_with_event_loop(self, worker: Any, hub: Any) -> None:
        maintain = getattr(worker.pool, "maintain_pool", None)
        if maintain is not None and self.timer is None:
            self.timer = hub.call_repeatedly(UPKEEP_INTERVAL_S, maintain)

    def stop(self, worker: Any) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
