"""The process's lease renewer (workers.leases): every stage running in the process renewed
each interval after it started, none after it ended, one thread however many tasks ran, and
a fork starting afresh. The renewals are recorded instead of written to Postgres (the
guarded UPDATE itself is tested in tests/workers/db/test_leases.py)."""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest

from tests.service_fixtures import wait_for
from workers import leases
from workers.leases import Held, Renewer

INTERVAL_S = 0.05


class Recorder:
    def __init__(self, answer: bool = True) -> None:
        self.renewed: list[tuple[uuid.UUID, float]] = []
        self.answer = answer
        self.fail_first = False

    def __call__(self, held: Held) -> bool:
        if self.fail_first:
            self.fail_first = False
            raise ConnectionError("Postgres restarting")
        self.renewed.append((held.job_id, time.monotonic()))
        return self.answer

    def count(self, job_id: uuid.UUID) -> int:
        return sum(1 for renewed, _ in self.renewed if renewed == job_id)


def _renewer(recorder: Recorder) -> Renewer:
    return Renewer(recorder, interval=lambda: INTERVAL_S)


def _threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name == "stage-leases")


def test_a_running_stage_is_renewed_each_interval_and_not_after_it_ends() -> None:
    recorder = Recorder()
    renewer = _renewer(recorder)
    job_id = uuid.uuid4()
    started = time.monotonic()
    held = renewer.hold(job_id, "compile", "task-1")
    wait_for(lambda: recorder.count(job_id) >= 3, timeout=10, what="three renewals")
    # Never before its interval: a stage is renewed, not hammered.
    first = recorder.renewed[0][1]
    assert first - started >= INTERVAL_S
    renewer.release(held)
    time.sleep(2 * INTERVAL_S)  # a renewal in flight at the release may still land
    count = recorder.count(job_id)
    time.sleep(4 * INTERVAL_S)
    assert recorder.count(job_id) == count
    assert renewer.holding() == 0


def test_one_thread_renews_every_stage_in_the_process() -> None:
    recorder = Recorder()
    renewer = _renewer(recorder)
    before = _threads()
    # Many short tasks one after another, as a light stage's pool child runs them: no
    # renewal (each ends before its first is due), and no thread per task.
    for _ in range(200):
        renewer.release(renewer.hold(uuid.uuid4(), "parse", "t"))
    assert recorder.renewed == []
    assert _threads() == before + 1
    # Two running at once (a compile child's stage and a retry's overlap) are both renewed.
    a, b = uuid.uuid4(), uuid.uuid4()
    held = [renewer.hold(a, "compile", "ta"), renewer.hold(b, "compile", "tb")]
    wait_for(lambda: recorder.count(a) >= 2 and recorder.count(b) >= 2, timeout=10,
             what="both stages renewed")
    assert _threads() == before + 1
    for h in held:
        renewer.release(h)


def test_a_stage_no_longer_held_is_dropped_and_a_failed_renewal_is_tried_again() -> None:
    lost = Recorder(answer=False)  # finished, cancelled or taken over by another chain
    renewer = _renewer(lost)
    renewer.hold(uuid.uuid4(), "score", "t")
    wait_for(lambda: renewer.holding() == 0, timeout=10, what="the lost lease dropped")
    assert len(lost.renewed) == 1

    flaky = Recorder()
    flaky.fail_first = True
    renewer = _renewer(flaky)
    job_id = uuid.uuid4()
    held = renewer.hold(job_id, "score", "t")
    wait_for(lambda: flaky.count(job_id) >= 1, timeout=10, what="a renewal after a failure")
    assert renewer.holding() == 1
    renewer.release(held)


def test_the_thread_outlives_a_failed_beat() -> None:
    recorder = Recorder()
    calls = [0]

    def interval() -> float:
        calls[0] += 1
        if calls[0] == 2:  # the thread's first beat
            raise RuntimeError("settings unreadable for a moment")
        return INTERVAL_S

    renewer = Renewer(recorder, interval=interval)
    job_id = uuid.uuid4()
    held = renewer.hold(job_id, "compile", "t")
    wait_for(lambda: recorder.count(job_id) >= 1, timeout=10, what="a renewal after the failure")
    assert calls[0] > 2
    renewer.release(held)


def test_the_heartbeat_block_holds_the_stage_while_it_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Recorder()
    monkeypatch.setattr(leases, "_renewer", _renewer(recorder))
    job_id = uuid.uuid4()
    with leases.heartbeat(job_id, "compile", "task-1"):
        assert leases._renewer.holding() == 1
        wait_for(lambda: recorder.count(job_id) >= 1, timeout=10, what="a renewal")
    assert leases._renewer.holding() == 0
    # Run outside Celery (no task id): only the start's lease, nothing renewed.
    with leases.heartbeat(uuid.uuid4(), "compile", None):
        assert leases._renewer.holding() == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_a_forked_child_starts_its_own_renewer() -> None:
    parent = leases._renewer
    held = parent.hold(uuid.uuid4(), "compile", "t")
    try:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: a fresh renewer, none of the parent's leases
            ok = leases._renewer is not parent and leases._renewer.holding() == 0
            os.write(write, b"1" if ok else b"0")
            os._exit(0)
        os.close(write)
        assert os.read(read, 1) == b"1"
        os.waitpid(pid, 0)
    finally:
        parent.release(held)
