"""Recovery from a lost broker and from a worker killed with its main process: real Celery
workers and beat on a Redis of this module's own (killed with SIGKILL, started again
empty), Postgres and SeaweedFS. Deadlines are shortened through the settings, as an operator
could; the 2 minutes asserted are the issue's, not the test's."""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis

from tests.pipeline.compile.slow_tex import slow_tex
from tests.service_fixtures import WorkerPool, stop_process, wait_for
from tests.workers.broker_fixtures import RedisServer, process_env, start_beat
from tests.workers.factories import TENANT, load, submit
from tests.workers.test_chain_service import ARTIFACT_NAMES, stored_names
from workers import chain
from workers.db import batches
from workers.db.models import TERMINAL, Job
from workers.db.session import session_scope
from workers.settings import STAGES

pytestmark = pytest.mark.service

RECOVERY_WITHIN_S = 120.0
# Short deadlines, as an operator may set them; the defaults (10 s, 30 s, 5 s, 30 s) take
# longer to notice a loss but well inside the two minutes too.
SHORT_DEADLINES = {
    "RT_REAPER_INTERVAL_S": "2",
    "RT_REAPER_WAITING_AFTER_S": "10",
    "RT_STAGE_HEARTBEAT_S": "1",
    "RT_STAGE_LEASE_S": "8",
}


@dataclass
class OwnBroker:
    server: RedisServer
    workers: WorkerPool
    env: dict[str, str]

    def lose_data(self, down_s: float = 3.0) -> float:
        """SIGKILL the broker, start it again empty `down_s` later; when it answered again
        (time.monotonic())."""
        self.server.kill()
        time.sleep(down_s)
        self.server.start()
        return time.monotonic()

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.server.url)


@pytest.fixture(scope="module")
def own_broker(
    service_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OwnBroker]:
    workdir = tmp_path_factory.mktemp("own-broker")
    server = RedisServer(workdir)
    server.start()
    env = {**service_env, "RT_BROKER_URL": server.url, "RT_RESULT_BACKEND": server.url,
           "RT_REDIS_URL": server.url, **SHORT_DEADLINES}
    pool = WorkerPool(env, workdir)
    beat = None
    try:
        with process_env(env):
            pool.start("parse", "score", "rewrite", "upload", "webhooks", name="stages",
                       concurrency=2)
            pool.start("compile", name="compile", concurrency=2)
            beat = start_beat(env, workdir)
            yield OwnBroker(server, pool, env)
    finally:
        if beat is not None:
            stop_process(beat)
        pool.stop_all()
        server.stop()


def submit_batch(count: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A batch of `count` postings (each its own, so no analysis comes from the cache), its
    chains sent as the API sends them."""
    with session_scope() as session:
        batch, _ = batches.create_batch(session, tenant=TENANT, kind="one_resume", total=count)
    job_ids = [submit(batch_id=batch.id, batch_item=item, enqueue=False)
               for item in range(count)]
    chain.enqueue_jobs(job_ids)
    return batch.id, job_ids


def states(job_ids: list[uuid.UUID]) -> Counter[str]:
    return Counter(load(job_id).state for job_id in job_ids)


def wait_all_final(job_ids: list[uuid.UUID], since: float) -> list[Job]:
    remaining = RECOVERY_WITHIN_S - (time.monotonic() - since)
    wait_for(lambda: all(load(j).state in TERMINAL for j in job_ids), timeout=remaining,
             interval=0.5, what=f"every job to finish ({dict(states(job_ids))})")
    return [load(job_id) for job_id in job_ids]


def attempts(job: Job) -> dict[str, int]:
    return {stage: info["attempts"] for stage, info in job.stages.items()}


def assert_each_ran_once(batch_id: uuid.UUID, done: list[Job]) -> None:
    for job in done:
        assert job.state == "succeeded", job.error
        assert attempts(job) == dict.fromkeys(STAGES, 1), job.id
        assert stored_names(job.id) == ARTIFACT_NAMES
    with session_scope() as session:
        batch = batches.get_batch(session, TENANT, batch_id)
        assert batch is not None
        assert (batch.state, batch.succeeded, batch.failed) == ("completed", len(done), 0)


def test_a_batch_completes_after_the_broker_comes_back_empty_mid_batch(
    own_broker: OwnBroker,
) -> None:
    batch_id, job_ids = submit_batch(14)
    wait_for(lambda: sum(n for s, n in states(job_ids).items()
                         if s in ("rewriting", "compiling", "uploading", "succeeded")) >= 3,
             timeout=120, interval=0.2, what="the batch to get under way")
    back = own_broker.lose_data()
    at_loss = states(job_ids)
    assert at_loss["succeeded"] < len(job_ids), at_loss  # the loss struck mid-batch
    done = wait_all_final(job_ids, back)
    assert_each_ran_once(batch_id, done)
    assert "the broker lost its data" in own_broker.workers.for_queue("webhooks")[0].log()


def test_jobs_still_queued_when_the_broker_dies_complete_once_it_is_back(
    own_broker: OwnBroker,
) -> None:
    # The broker dies as soon as the batch is sent: its stages take milliseconds, and waiting
    # to see the first job start let a busy machine's workers take most of the batch first.
    batch_id, job_ids = submit_batch(20)
    back = own_broker.lose_data()
    at_loss = states(job_ids)
    assert at_loss["queued"] >= 3, at_loss
    done = wait_all_final(job_ids, back)
    assert_each_ran_once(batch_id, done)


def _redeliver(own_broker: OwnBroker, task_id: str, queue: str) -> None:
    """What Redis's visibility timeout does to a message a dead worker held: take it out of
    the unacknowledged set and put it back on its queue."""
    prefix = own_broker.env["RT_KEY_PREFIX"]
    client = own_broker.client()
    for tag, raw in client.hscan_iter(f"{prefix}unacked"):
        entry: list[Any] = json.loads(raw)
        if entry[0]["headers"]["id"] == task_id:
            client.hdel(f"{prefix}unacked", tag)
            client.zrem(f"{prefix}unacked_index", tag)
            client.lpush(f"{prefix}{prefix}{queue}", json.dumps(entry[0]))
            return
    raise AssertionError(f"task {task_id} is not held unacknowledged")


def test_a_worker_killed_with_its_main_process_leaves_no_job_behind(
    own_broker: OwnBroker, tmp_path: Path
) -> None:
    workers = own_broker.workers
    for worker in workers.for_queue("compile"):
        workers.stop(worker)
    # TeX that starts 5 s late keeps the task in flight when the kill lands.
    slow = workers.start("compile", name="compile-slow",
                         extra_env={"RT_TEX_BIN_DIR": str(slow_tex(tmp_path / "slow-tex", 5))})
    job_id = submit()
    def compiling() -> Job | None:
        job = load(job_id)
        return job if job.state == "compiling" else None

    job = wait_for(compiling, timeout=90, interval=0.05, what="compile to start")
    compile_task = job.task_ids[STAGES.index("compile")]
    wait_for(lambda: workers.received(compile_task) is slow, timeout=10,
             what="the slow worker to take the compile")
    os.kill(slow.process.pid, signal.SIGKILL)  # the main process; its children die with it
    killed = time.monotonic()
    slow.process.wait(10)
    workers.start("compile", name="compile-after-kill")

    done = wait_all_final([job_id], killed)[0]
    assert done.state == "succeeded", done.error
    assert attempts(done) == {**dict.fromkeys(STAGES, 1), "compile": 2}
    assert stored_names(job_id) == ARTIFACT_NAMES

    # The dead worker's message is still unacknowledged; after the visibility timeout the
    # broker hands it out again. That must change nothing.
    _redeliver(own_broker, compile_task, "compile")
    wait_for(lambda: workers.outcome(compile_task) == "ignored", timeout=30,
             what="the redelivered compile to be refused")
    after = load(job_id)
    assert (after.state, after.stages, after.artifacts) == (done.state, done.stages,
                                                             done.artifacts)
    assert stored_names(job_id) == ARTIFACT_NAMES
