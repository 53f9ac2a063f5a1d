"""Time and memory limits for solo-pool workers (workers.solo_limits): the soft limit raises in
the task, the hard limit ends the process even while C code holds the GIL."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from celery.exceptions import SoftTimeLimitExceeded

from workers.app import app
from workers.solo_limits import Limits, SoloLimits, over_memory, task_limits


@pytest.fixture
def limits() -> Iterator[Limits]:
    armed = Limits()
    armed.install()
    yield armed
    armed.disarm()


def test_every_worker_runs_the_step() -> None:
    assert SoloLimits in app.steps["worker"]


def test_the_soft_limit_raises_in_the_running_code(limits: Limits) -> None:
    limits.arm(soft=0.05, hard=None)
    started = time.monotonic()
    with pytest.raises(SoftTimeLimitExceeded, match=r"soft time limit \(0.05s\)"):
        while time.monotonic() - started < 5:
            sum(range(1000))
    assert time.monotonic() - started < 1


def test_a_disarmed_limit_never_fires(limits: Limits) -> None:
    limits.arm(soft=0.05, hard=0.2)
    limits.disarm()
    time.sleep(0.4)  # neither the timer nor the watchdog: we are still here


def test_a_timer_that_fires_after_the_task_is_ignored(limits: Limits) -> None:
    limits.arm(soft=0.05, hard=None)
    limits.running = False  # the task ended, the timer not yet disarmed
    time.sleep(0.15)


def test_the_hard_limit_ends_the_process_even_inside_c_code() -> None:
    # A backtracking regular expression holds the GIL for minutes: no Python code (a signal
    # handler, a thread) runs until it returns. The watchdog is a C thread.
    script = textwrap.dedent("""
        import re, sys
        from workers.solo_limits import Limits
        limits = Limits()
        limits.install()
        limits.arm(soft=None, hard=0.5)
        print("armed", flush=True)
        re.match(r"(a+)+$", "a" * 40 + "b")
        print("the regex returned", flush=True)
    """)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert done.stdout == "armed\n"
    assert "Timeout" in done.stderr and 'File "<string>", line 8' in done.stderr
    assert time.monotonic() - started < 30


def test_limits_come_from_the_message_first_then_the_task() -> None:
    task = SimpleNamespace(request=SimpleNamespace(timelimit=(75.0, 60.0)),
                           soft_time_limit=5.0, time_limit=20.0)
    assert task_limits(task) == (60.0, 75.0)
    task.request.timelimit = None
    assert task_limits(task) == (5.0, 20.0)
    task.request.timelimit = (None, None)
    assert task_limits(task) == (5.0, 20.0)


def test_memory_over_the_bound_is_reported() -> None:
    assert over_memory(None) is None
    assert over_memory(10**12) is None
    held = over_memory(1024)  # this process holds more than a MiB
    assert held is not None and held > 1024


def test_a_process_started_by_a_large_one_is_not_over_its_bound() -> None:
    # Linux carries the peak resident memory (ru_maxrss) over an exec: a worker started by a
    # large test run would have been "over" at once. What counts is what it holds now.
    ballast = bytearray(400 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touched: resident
    script = ("import resource; from workers.solo_limits import over_memory, resident_kib; "
              "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resident_kib(), "
              "over_memory(300 * 1024))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=60).stdout.split()
    del ballast
    peak, held, over = int(out[0]), int(out[1]), out[2]
    assert held < 300 * 1024 and over == "None", out
    assert peak > 300 * 1024, "ru_maxrss no longer carries over: the test shows nothing"
