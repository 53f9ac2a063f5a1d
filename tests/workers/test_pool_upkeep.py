"""The worker step that replaces recycled pool children without waiting for Celery's 5 s
upkeep timer (celery/celery#9588)."""

from __future__ import annotations

from typing import Any

from workers.app import app
from workers.pool_upkeep import UPKEEP_INTERVAL_S, PoolUpkeep


class _Timer:
    cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class _Hub:
    def __init__(self) -> None:
        self.repeated: list[tuple[float, Any]] = []

    def call_repeatedly(self, delay: float, callback: Any) -> _Timer:
        self.repeated.append((delay, callback))
        return _Timer()


class _Worker:
    def __init__(self, pool: object) -> None:
        self.pool = pool


class _Prefork:
    def maintain_pool(self) -> None: ...


def test_every_worker_runs_the_step() -> None:
    assert PoolUpkeep in app.steps["worker"]


def test_the_pools_upkeep_runs_often_and_once() -> None:
    pool, hub = _Prefork(), _Hub()
    worker = _Worker(pool)
    step = PoolUpkeep(worker)
    step.register_with_event_loop(worker, hub)
    step.register_with_event_loop(worker, hub)  # a consumer restart: the timer is still there
    assert hub.repeated == [(UPKEEP_INTERVAL_S, pool.maintain_pool)]
    assert UPKEEP_INTERVAL_S <= 1  # Celery's own is 5 s, which the step is there to shorten
    timer = step.timer
    step.stop(worker)
    assert timer.cancelled and step.timer is None


def test_a_pool_without_upkeep_is_left_alone() -> None:
    hub = _Hub()
    worker = _Worker(object())  # solo or threads
    PoolUpkeep(worker).register_with_event_loop(worker, hub)
    assert hub.repeated == []
