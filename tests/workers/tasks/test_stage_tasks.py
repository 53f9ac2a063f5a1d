"""Each stage task, sent by name to a real worker (the plugin's, in this process) for a job
row in the session's Postgres, stores that stage's outputs; upload leaves the artifacts in
S3. Beside the process-level chain tests (tests/workers/test_chain_service.py), which run
the same tasks in `celery worker` processes."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from pipeline.models import TailorReport
from tests.service_fixtures import wait_for
from tests.workers.factories import TENANT, load, posting_text, resume_doc
from tests.workers.tasks.conftest import stage_task_queue
from workers import storage
from workers.app import STAGE_TASKS, app
from workers.db import jobs
from workers.db.models import Job
from workers.db.session import session_scope
from workers.settings import STAGES

pytestmark = pytest.mark.service


def new_job() -> tuple[uuid.UUID, dict[str, str]]:
    """A queued job whose chain holds the task ids this test sends (a stage task refuses an
    id of any other chain)."""
    task_ids = {stage: str(uuid.uuid4()) for stage in STAGES}
    with session_scope() as session:
        job, _ = jobs.create_job(session, tenant=TENANT, resume=resume_doc(),
                                 posting=posting_text())
        jobs.set_task_ids(session, job.id, list(task_ids.values()))
    return job.id, task_ids


def run_task(job_id: uuid.UUID, stage: str, task_id: str) -> Job:
    """Send one stage's task, without the rest of the chain, and wait until it finished."""
    app.send_task(STAGE_TASKS[stage], args=[str(job_id)], task_id=task_id, queue=stage_task_queue())

    def finished() -> Job | None:
        job = load(job_id)
        done = "finished" in (job.stages.get(stage) or {}) or job.state == "failed"
        return job if done else None

    job: Job = wait_for(finished, timeout=120, what=f"{stage} of job {job_id}")
    assert job.state != "failed", job.error
    return job


def test_each_stage_task_stores_its_outputs(celery_session_worker: Any) -> None:
    job_id, task_ids = new_job()

    parsed = run_task(job_id, "parse", task_ids["parse"])
    assert parsed.state == "parsing" and parsed.analysis is not None
    assert "PostgreSQL" in {s["name"] for s in parsed.analysis["hard_skills"]}

    scored = run_task(job_id, "score", task_ids["score"])
    assert scored.report is not None and scored.match_rate == scored.report["match_rate"]
    assert scored.fit is not None and 0 <= scored.fit <= 1

    rewritten = run_task(job_id, "rewrite", task_ids["rewrite"])
    assert rewritten.tailored is not None and rewritten.tailored["provenance"]

    compiled = run_task(job_id, "compile", task_ids["compile"])
    assert compiled.compile_meta is not None and compiled.compile_meta["pages"] == 1
    pdf = storage.get(storage.artifact_key(TENANT, job_id, "resume.pdf"))
    assert pdf.startswith(b"%PDF")
    assert compiled.artifacts == {}  # upload names them

    done = run_task(job_id, "upload", task_ids["upload"])
    assert done.state == "succeeded"
    assert sorted(done.artifacts) == ["report.json", "resume.pdf", "resume.tex", "tailored.json"]
    report = TailorReport.model_validate_json(storage.get(done.artifacts["report.json"]))
    assert report.pages == 1 and report.after.match_rate == done.match_rate_after
    assert set(report.timings_ms) == {"parse", "score", "rewrite", "compile"}
    tailored = json.loads(storage.get(done.artifacts["tailored.json"]))
    assert tailored["basics"]["name"] == "Dana Whitfield"


def test_a_redelivered_stage_task_does_not_run_the_stage_again(
        celery_session_worker: Any) -> None:
    job_id, task_ids = new_job()
    first = run_task(job_id, "parse", task_ids["parse"])
    # The same message again (the broker redelivers an unacknowledged one): it finds the
    # stage finished and leaves it as it was.
    app.send_task(STAGE_TASKS["parse"], args=[str(job_id)], task_id=task_ids["parse"],
                  queue=stage_task_queue())
    scored = run_task(job_id, "score", task_ids["score"])  # sent after it, so run after it
    assert scored.stages["parse"] == first.stages["parse"]
    assert scored.stages["parse"]["attempts"] == 1


def test_a_task_of_another_chain_is_refused(celery_session_worker: Any) -> None:
    job_id, _ = new_job()
    stranger = str(uuid.uuid4())
    app.send_task(STAGE_TASKS["parse"], args=[str(job_id)], task_id=stranger,
                  queue=stage_task_queue())
    job_id_2, task_ids_2 = new_job()
    run_task(job_id_2, "parse", task_ids_2["parse"])  # one worker thread: the stranger ran
    job = load(job_id)
    assert job.state == "queued" and job.stages.get("parse") is None
