"""The same chain with RabbitMQ as the broker: only the URL changes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from kombu import Connection

from tests.service_fixtures import ROOT, WorkerPool
from tests.workers.factories import submit
from tests.workers.test_chain_service import ARTIFACT_NAMES, stored_names, wait_final
from workers.settings import STAGES

pytestmark = pytest.mark.service
AMQP_URL = os.environ.get("RT_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")


@pytest.fixture
def amqp_env(service_env: dict[str, str]) -> Iterator[dict[str, str]]:
    prefix = service_env["RT_KEY_PREFIX"] + "amqp:"
    env = {**service_env, "RT_BROKER_URL": AMQP_URL, "RT_KEY_PREFIX": prefix}
    yield env
    with Connection(AMQP_URL) as conn:  # the durable queues this test declared
        channel = conn.default_channel
        for stage in STAGES:
            channel.queue_delete(f"{prefix}{stage}")


def test_a_job_runs_over_rabbitmq(amqp_env: dict[str, str], tmp_path: Path) -> None:
    pool = WorkerPool(amqp_env, tmp_path)
    try:
        pool.start(*STAGES, name="all-stages-amqp")
        job_id = submit(enqueue=False)
        # Sent from a process configured like the API would be, with the amqp:// URL.
        subprocess.run(
            [sys.executable, "-c", "import sys, uuid; from workers.chain import enqueue_job; "
             "enqueue_job(uuid.UUID(sys.argv[1]))", str(job_id)],
            env={**os.environ, **amqp_env}, cwd=ROOT, check=True, timeout=60,
        )
        job = wait_final(job_id)
        assert job.state == "succeeded", job.error
        assert stored_names(job_id) == ARTIFACT_NAMES
        assert "amqp://" in pool.workers[0].log()
    finally:
        pool.stop_all()
