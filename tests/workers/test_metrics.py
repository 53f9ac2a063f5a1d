"""The metrics' machinery without a worker: prometheus_client's multiprocess mode as the
exporter uses it (forked children counting, one exiting cleanly, one SIGKILLed, one still
running, the main process serving them over HTTP), the refusal of an exporter that could not
see its children, jobs counted only when their transaction commits, and the Redis readings
(queue lengths, breaker states) against the machine's Redis under a random prefix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from tests.service_fixtures import ROOT, delete_prefixed_keys, free_ports
from workers import metrics, metrics_server
from workers.breaker_store import RedisBreakerStore
from workers.broker_metrics import BreakerCollector, QueueCollector, queue_list_key
from workers.db.models import Job
from workers.settings import QUEUES, Settings, get_settings

REDIS_URL = "redis://127.0.0.1:6379/0"

# Run in a process of its own: multiprocess mode is chosen when prometheus_client is imported.
POOL_SCRIPT = r"""
import json, os, signal, sys, time
import httpx
from celery.exceptions import Retry
from celery.signals import (task_postrun, task_prerun, task_retry, worker_process_init,
                            worker_process_shutdown)
from workers import metrics, metrics_server
from workers.tasks import compile as compile_task, parse as parse_task

port = int(sys.argv[1])
metrics_server.start_exporter(port, "127.0.0.1")

def child(body):
    pid = os.fork()
    if pid == 0:
        worker_process_init.send(sender=None)
        body()
        os._exit(0)
    return pid

def clean_exit():
    task_prerun.send(sender=parse_task.run, task_id="a", task=parse_task.run)
    task_retry.send(sender=parse_task.run, request=None, reason=Retry(exc=TimeoutError("db")),
                    einfo=None)
    task_postrun.send(sender=parse_task.run, task_id="a", task=parse_task.run, state="RETRY")
    task_prerun.send(sender=parse_task.run, task_id="a2", task=parse_task.run)
    task_postrun.send(sender=parse_task.run, task_id="a2", task=parse_task.run, state="SUCCESS")
    metrics.tex_compiles("resume", "modern", 3)
    worker_process_shutdown.send(sender=None, pid=os.getpid(), exitcode=0)

def killed_mid_task():
    task_prerun.send(sender=compile_task.run, task_id="b", task=compile_task.run)
    metrics.tex_compiles("resume", "modern", 5)
    os.kill(os.getpid(), signal.SIGKILL)

def running(ready_w):
    def body():
        task_prerun.send(sender=compile_task.run, task_id="c", task=compile_task.run)
        os.write(ready_w, b"1")
        time.sleep(60)
    return body

for pid in (child(clean_exit), child(killed_mid_task)):
    os.waitpid(pid, 0)
ready_r, ready_w = os.pipe()
alive = child(running(ready_w))
os.read(ready_r, 1)
scrapes = [httpx.get(f"http://127.0.0.1:{port}/metrics").text]
os.kill(alive, signal.SIGKILL)
os.waitpid(alive, 0)
scrapes.append(httpx.get(f"http://127.0.0.1:{port}/metrics").text)
print(json.dumps(scrapes))
"""


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str,
          **labels: str) -> float | None:
    return found.get((name, tuple(sorted(labels.items()))))


def test_forked_children_add_up_and_dead_ones_stop_running(tmp_path: Path) -> None:
    directory = tmp_path / "prometheus"
    directory.mkdir()
    (directory / "counter_999999.db").write_bytes(b"left by an earlier run")
    [port] = free_ports(1)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    done = subprocess.run([sys.executable, "-c", POOL_SCRIPT, str(port)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    while_running, after = (samples(text) for text in json.loads(done.stdout))

    # Two children's compiles, one of them killed before it could say it was leaving.
    assert value(while_running, "resume_tailor_tex_compiles_count",
                 document="resume", template="modern") == 2
    assert value(while_running, "resume_tailor_tex_compiles_sum",
                 document="resume", template="modern") == 8
    assert value(while_running, "resume_tailor_stage_duration_seconds_count",
                 stage="parse", outcome="success") == 1
    assert value(while_running, "resume_tailor_stage_duration_seconds_count",
                 stage="parse", outcome="retry") == 1
    # The retry, by what caused it (Celery's Retry wraps the error).
    assert value(while_running, "resume_tailor_task_retries_total",
                 task="parse", reason="TimeoutError") == 1
    # The killed child's task is not running any more; the live child's is.
    assert value(while_running, "resume_tailor_tasks_running", task="compile") == 1
    # The child that left cleanly took its gauge with it (worker_process_shutdown).
    assert value(while_running, "resume_tailor_tasks_running", task="parse") is None
    assert not value(after, "resume_tailor_tasks_running", task="compile")
    # Counters outlive their processes; what the earlier run left was emptied at start.
    assert value(after, "resume_tailor_tex_compiles_count",
                 document="resume", template="modern") == 2
    assert not (directory / "counter_999999.db").exists()


def test_an_exporter_that_could_not_see_its_children_refuses_to_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    monkeypatch.setenv("RT_METRICS_PORT", str(free_ports(1)[0]))
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit, match="RT_METRICS_PORT: set PROMETHEUS_MULTIPROC_DIR"):
            metrics_server._start_on_worker_init()
        # Set, but only after prometheus_client chose single-process values (this process).
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
        with pytest.raises(SystemExit, match="PROMETHEUS_MULTIPROC_DIR: set after"):
            metrics_server._start_on_worker_init()
    finally:
        get_settings.cache_clear()
    assert metrics_server._exporter is None


def test_metrics_port_is_validated() -> None:
    with pytest.raises(ValueError, match="metrics_port"):
        Settings(metrics_port=70000)


def _job(state: str) -> Job:
    created = datetime(2025, 1, 1, tzinfo=UTC)
    return Job(id=uuid.uuid4(), state=state, template="compact", provider="anthropic",
               created_at=created, finished_at=created + timedelta(seconds=42))


def test_a_finished_job_counts_once_its_transaction_commits() -> None:
    counted = metrics.JOBS_FINISHED.labels("failed", "compact", "anthropic")
    durations = metrics.JOB_DURATION.labels("failed")
    before, seconds_before = counted._value.get(), durations._sum.get()
    engine = create_engine("sqlite://")
    with Session(engine) as session:
        session.execute(text("SELECT 1"))  # the transition's UPDATE, in the real thing
        metrics.job_finished(session, _job("failed"))
        assert counted._value.get() == before  # not yet committed
        session.rollback()
        session.commit()  # the rolled-back change is not counted by a later commit
        assert counted._value.get() == before
        session.execute(text("SELECT 1"))
        metrics.job_finished(session, _job("failed"))
        session.commit()
    assert counted._value.get() == before + 1
    assert durations._sum.get() == seconds_before + 42


@pytest.fixture
def prefixed() -> Iterator[Settings]:
    prefix = f"rt_test_{uuid.uuid4().hex[:8]}:"
    yield Settings(key_prefix=prefix, broker_url=REDIS_URL, redis_url=REDIS_URL)
    delete_prefixed_keys(REDIS_URL, prefix)


def _scrape(*collectors: object) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    registry = CollectorRegistry()
    for collector in collectors:
        registry.register(collector)  # type: ignore[arg-type]
    return samples(generate_latest(registry).decode())


def test_queue_lengths_are_the_broker_lists(prefixed: Settings) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    client.rpush(queue_list_key(prefixed, "compile"), "m1", "m2", "m3")
    client.hset(f"{prefixed.key_prefix}unacked", "tag", "message")
    found = _scrape(QueueCollector(prefixed))
    assert value(found, "resume_tailor_queue_length", queue="compile") == 3
    assert {value(found, "resume_tailor_queue_length", queue=q) for q in QUEUES
            if q != "compile"} == {0}
    assert value(found, "resume_tailor_queue_unacked_messages") == 1
    assert value(found, "resume_tailor_broker_up") == 1


def test_an_unreachable_broker_is_reported_down_and_breakers_unknown() -> None:
    [closed] = free_ports(1)
    settings = Settings(broker_url=f"redis://127.0.0.1:{closed}/0",
                        redis_url=f"redis://127.0.0.1:{closed}/0")
    found = _scrape(QueueCollector(settings), BreakerCollector(settings))
    assert value(found, "resume_tailor_broker_up") == 0
    assert not any(name.startswith(("resume_tailor_queue", "resume_tailor_ai_breaker"))
                   for name, _ in found)


def test_breaker_states_are_read_from_the_workers_store(prefixed: Settings) -> None:
    now = 1_000_000.0
    store = RedisBreakerStore(redis.Redis.from_url(REDIS_URL), prefix=prefixed.key_prefix)
    store.open("openai", now + 30)
    store.open("anthropic", now - 1)  # cool-down over: half-open
    found = _scrape(BreakerCollector(prefixed, clock=lambda: now))
    assert value(found, "resume_tailor_ai_breaker_state", provider="openai", state="open") == 1
    assert value(found, "resume_tailor_ai_breaker_state", provider="openai", state="closed") == 0
    assert value(found, "resume_tailor_ai_breaker_state",
                 provider="anthropic", state="half_open") == 1
    store.reset("openai")
    found = _scrape(BreakerCollector(prefixed, clock=lambda: now))
    assert value(found, "resume_tailor_ai_breaker_state", provider="openai", state="closed") == 1


def test_sample_names_follow_the_metric_types() -> None:
    names = metrics.sample_names(metrics.register(CollectorRegistry()).collect())
    assert {"resume_tailor_jobs_finished_total", "resume_tailor_stage_duration_seconds_bucket",
            "resume_tailor_tasks_running", "resume_tailor_tex_compiles_count"} <= names
    assert "resume_tailor_jobs_finished" not in names
