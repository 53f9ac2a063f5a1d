"""A job whose provider is an AI model: the real OpenAI SDK in the worker processes, talking
to the fake server on loopback; usage recorded per stage, the guard's rejections applied."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from api.views import job_out
from tests.fakes.llm_server import FakeLLMServer, RecordedRequest, Reply
from tests.service_fixtures import WorkerPool, wait_for
from tests.workers.factories import TENANT, load, posting_text, resume_doc
from workers import chain, storage
from workers.db import jobs
from workers.db.models import TERMINAL, Job
from workers.db.session import session_scope
from workers.settings import get_settings

pytestmark = pytest.mark.service


def inventive_model(request: RecordedRequest) -> Reply:
    """Rewords each bullet but slips in a skill the resume lacks; adds a value to the analysis."""
    if request.block("facts") is not None:
        return Reply.ok({"summary": "Engineer who ships reliable services."})
    line = request.block("line")
    if line is None:  # the posting analysis prompt
        return Reply.ok({"tone": "formal", "values": ["ownership"], "importance": [],
                         "implied_skills": []})
    return Reply.ok({"bullet": re.sub(r"\.?$", " with Haskell", line, count=1)})


@pytest.fixture
def openai_workers(live_workers: WorkerPool) -> Iterator[tuple[WorkerPool, FakeLLMServer]]:
    server = FakeLLMServer().__enter__()
    server.respond_with(inventive_model)
    env = {"OPENAI_API_KEY": "test-key", "OPENAI_BASE_URL": server.openai_base_url}
    for queue in ("parse", "rewrite"):
        for worker in live_workers.for_queue(queue):
            live_workers.stop(worker)
        live_workers.start(queue, name=f"{queue}-openai", extra_env=env)
    yield live_workers, server
    for queue in ("parse", "rewrite"):  # the next test gets plain workers back
        for worker in live_workers.for_queue(queue):
            live_workers.stop(worker)
    server.__exit__(None, None, None)


def test_an_openai_job_records_usage_and_keeps_only_guarded_lines(
    openai_workers: tuple[WorkerPool, FakeLLMServer],
) -> None:
    _, server = openai_workers
    with session_scope() as session:
        job, _ = jobs.create_job(session, tenant=TENANT, resume=resume_doc(),
                                 posting=posting_text(), provider="openai")
    chain.enqueue_job(job.id)
    done: Job = wait_for(lambda: (j := load(job.id)).state in TERMINAL and j, timeout=180,
                         what=f"job {job.id} to finish")

    assert done.state == "succeeded", done.error
    assert server.count() > 0  # the workers really called the model over HTTP
    for stage in ("parse", "rewrite"):
        rows = done.stages[stage]["usage"]
        assert rows and all(row["provider"] == "openai" and row["requests"] > 0 for row in rows)
    assert done.stages["rewrite"]["rejections"] > 0
    tailored = json.loads(storage.get(done.artifacts["tailored.json"]))
    assert "Haskell" not in json.dumps(tailored)
    report = json.loads(storage.get(done.artifacts["report.json"]))
    assert any("Haskell" in r["reason"] for r in report["rejections"])
    # report.json tells every model call, the analysis's as well as the rewrite's.
    assert report["usage"] == [*done.stages["parse"]["usage"], *done.stages["rewrite"]["usage"]]
    # What a client polling GET /v1/jobs/{id} sees of it.
    status = job_out(done, get_settings(), None, presign=False)
    assert {u.stage for u in status.usage} == {"parse", "rewrite"}
    assert status.cost_usd == pytest.approx(sum(u.cost_usd for u in status.usage), abs=1e-6)
