"""Metrics end to end: a worker per stage queue with its exporter on (RT_METRICS_PORT, a
multiprocess directory of its own that does not exist yet), the API as two uvicorn processes
sharing one directory; a job run through the API, another cancelled, messages left waiting
on the webhooks queue (no worker consumes it here). Each worker's /metrics shows its stage's
durations, the compile worker its TeX runs, the upload worker the job's outcome; the API's
/metrics the cancellation, both processes' requests and the queue lengths."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.api import factories
from tests.api.conftest import poll
from tests.api_server import serve_api
from tests.service_fixtures import Credential, WorkerPool, free_ports
from workers.app import DELIVER_TASK, app
from workers.settings import QUEUES, STAGES

pytestmark = pytest.mark.service

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str) -> Samples:
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200, response.text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text)
            for s in family.samples}


def value(found: Samples, name: str, **labels: str) -> float | None:
    return found.get((name, tuple(sorted(labels.items()))))


@pytest.fixture
def metered_workers(worker_pool: WorkerPool, tmp_path: Path) -> Iterator[dict[str, str]]:
    """stage → its worker's metrics URL. Workers other tests left running are stopped first
    (they would take this test's tasks and count them where nobody looks), and these are
    stopped afterwards (`live_workers` starts plain ones again for the next test)."""
    for worker in [w for queue in QUEUES for w in worker_pool.for_queue(queue)]:
        worker_pool.stop(worker)
    urls = {}
    for stage, port in zip(STAGES, free_ports(len(STAGES)), strict=True):
        env = {"RT_METRICS_PORT": str(port),
               "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus" / stage)}
        # Two pool processes for compile: their counts must add up in one exporter.
        worker_pool.start(stage, name=f"{stage}-metered", extra_env=env,
                          concurrency=2 if stage == "compile" else 1)
        urls[stage] = f"http://127.0.0.1:{port}/metrics"
    yield urls
    for worker in [w for queue in QUEUES for w in worker_pool.for_queue(queue)]:
        worker_pool.stop(worker)


@pytest.fixture
def api(service_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    directory = tmp_path / "prometheus-api"
    directory.mkdir()
    env = {**service_env, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    with serve_api(env, workers=2, log=tmp_path / "uvicorn.log") as (url, _):
        yield url


def test_workers_and_api_export_what_a_job_did(metered_workers: dict[str, str],
                                               api: str, api_key: Credential) -> None:
    with httpx.Client(base_url=api, timeout=30, headers=api_key.headers) as http:
        submitted = http.post("/v1/jobs", json=factories.job(template="modern"))
        assert submitted.status_code == 202, submitted.text
        done = poll(http, submitted.headers["location"])
        assert done["state"] == "succeeded", done

        by_stage = {stage: scrape(url) for stage, url in metered_workers.items()}
        for stage, found in by_stage.items():
            count = value(found, "resume_tailor_stage_duration_seconds_count",
                          stage=stage, outcome="success")
            total = value(found, "resume_tailor_stage_duration_seconds_sum",
                          stage=stage, outcome="success")
            assert count == 1, stage
            assert total is not None and 0 < total < 300, stage
            assert value(found, "resume_tailor_stage_duration_seconds_bucket",
                         stage=stage, outcome="success", le="+Inf") == 1, stage
            # Finished: nothing running, whichever pool process ran it.
            assert not value(found, "resume_tailor_tasks_running", task=stage), stage
        compile_found = by_stage["compile"]
        compiles = value(compile_found, "resume_tailor_tex_compiles_sum",
                         document="resume", template="modern")
        assert value(compile_found, "resume_tailor_tex_compiles_count",
                     document="resume", template="modern") == 1
        assert compiles is not None and compiles >= 1
        upload_found = by_stage["upload"]
        assert value(upload_found, "resume_tailor_jobs_finished_total",
                     outcome="succeeded", template="modern", provider="local") == 1
        assert value(upload_found, "resume_tailor_job_duration_seconds_count",
                     outcome="succeeded") == 1

        # A second job, cancelled by the API: the API counts it.
        second = http.post("/v1/jobs", json=factories.job(template="compact",
                                                          posting=factories.posting(3)))
        assert second.status_code == 202, second.text
        cancelled = http.delete(second.headers["location"])
        assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"

        # Messages nobody consumes here wait in the webhooks queue's list.
        for _ in range(3):
            app.send_task(DELIVER_TASK, args=[str(uuid.uuid4())])

        # The two API processes each answered some of the requests; the counts add up.
        for _ in range(6):  # (not /healthz: serve_api polls it while uvicorn starts)
            assert http.get("/readyz").status_code == 200
        found = scrape(f"{api}/metrics")

    assert value(found, "resume_tailor_jobs_finished_total",
                 outcome="cancelled", template="compact", provider="local") == 1
    assert value(found, "http_requests_total",
                 method="POST", route="/v1/jobs", status="202") == 2
    assert value(found, "http_requests_total",
                 method="GET", route="/readyz", status="200") == 6
    assert value(found, "resume_tailor_broker_up") == 1
    assert value(found, "resume_tailor_queue_length", queue="webhooks") == 3
    assert value(found, "resume_tailor_queue_length", queue="compile") == 0
    for provider in ("openai", "anthropic"):
        assert value(found, "resume_tailor_ai_breaker_state",
                     provider=provider, state="closed") == 1
