"""Jobs through real Celery worker processes (one per queue), Postgres and SeaweedFS."""

from __future__ import annotations

import io
import json
import os
import signal
import uuid
from pathlib import Path

import httpx
import pytest
import redis
from pypdf import PdfReader
from sqlalchemy import text

from pipeline.models import TailorReport
from tests.pipeline.compile.slow_tex import slow_tex
from tests.service_fixtures import WorkerPool, free_ports, wait_for
from tests.workers.factories import TENANT, load, posting_text, resume_doc, submit
from workers import chain, storage
from workers.cache import analysis_key
from workers.db import jobs, transitions
from workers.db.models import TERMINAL, Job
from workers.db.session import session_scope
from workers.reaper import reap_stuck_jobs
from workers.settings import get_settings

pytestmark = pytest.mark.service
ARTIFACT_NAMES = ["report.json", "resume.pdf", "resume.tex", "tailored.json"]


def wait_final(job_id: uuid.UUID, timeout: float = 120) -> Job:
    return wait_for(lambda: (job := load(job_id)).state in TERMINAL and job, timeout=timeout,
                    what=f"job {job_id} to finish")


def stored_names(job_id: uuid.UUID) -> list[str]:
    prefix = f"{TENANT}/{job_id}/"
    return sorted(key.removeprefix(prefix) for key in storage.list_keys(prefix))


def test_job_runs_every_stage_and_stores_its_artifacts(live_workers: WorkerPool) -> None:
    posting = posting_text()
    job = wait_final(submit(posting=posting))
    assert job.state == "succeeded", job.error
    assert list(job.stages) and all("finished" in job.stages[s] for s in
                                    ("parse", "score", "rewrite", "compile", "upload"))
    assert job.match_rate is not None and job.match_rate_after is not None
    assert sorted(job.artifacts) == ARTIFACT_NAMES == stored_names(job.id)
    pdf = httpx.get(storage.presigned_url(job.artifacts["resume.pdf"]), timeout=10)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1
    report = TailorReport.model_validate_json(storage.get(job.artifacts["report.json"]))
    assert report.before.match_rate == job.match_rate and report.pages == 1
    assert set(report.timings_ms) >= {"parse", "score", "rewrite", "compile"}
    tailored = json.loads(storage.get(job.artifacts["tailored.json"]))
    assert tailored["basics"]["name"] == "Dana Whitfield"

    # The same posting again (differing only in whitespace): parse answers from the cache.
    again = wait_final(submit(posting="\n" + posting.replace("\n", "  \r\n") + "\n\n"))
    assert again.state == "succeeded", again.error
    assert job.stages["parse"]["cache_hit"] is False
    assert again.stages["parse"]["cache_hit"] is True
    assert again.analysis == job.analysis
    ttl = redis.Redis.from_url(get_settings().redis_url).ttl(analysis_key(TENANT, posting))
    assert 0 < ttl <= get_settings().analysis_cache_ttl_s


def test_bad_input_fails_the_job_at_once_without_retries(live_workers: WorkerPool) -> None:
    job = wait_final(submit(posting=" \n\t "))
    assert job.state == "failed"
    assert job.error is not None and job.error["field"] == "posting"
    assert (job.error["stage"], job.error["type"]) == ("parse", "InvalidInput")
    assert job.stages["parse"]["attempts"] == 1
    assert "score" not in job.stages

    with session_scope() as session:
        bad_provider, _ = jobs.create_job(session, tenant=TENANT, resume=resume_doc(),
                                          posting=posting_text(), provider="no-such-ai")
    chain.enqueue_job(bad_provider.id)
    job = wait_final(bad_provider.id)
    assert job.state == "failed" and job.error is not None
    # The provider is resolved in the parse stage (a model may add to the analysis there).
    assert (job.error["stage"], job.error["field"]) == ("parse", "provider")
    assert job.stages["parse"]["attempts"] == 1 and stored_names(job.id) == []


def test_a_retry_in_the_middle_keeps_the_chain(live_workers: WorkerPool) -> None:
    for worker in live_workers.for_queue("compile"):
        live_workers.stop(worker)
    # A compile worker whose S3 endpoint refuses connections: the stage fails transiently.
    dead_port = free_ports(1)[0]
    broken = live_workers.start("compile", name="compile-broken", extra_env={
        "RT_S3_ENDPOINT_URL": f"http://127.0.0.1:{dead_port}",
        "RT_RETRY_BACKOFF_BASE_S": "2", "RT_RETRY_BACKOFF_MAX_S": "2",
    })
    job_id = submit()
    wait_for(lambda: load(job_id).stages.get("compile", {}).get("attempts", 0) >= 2,
             timeout=90, what="compile to be retried")
    # Stopping the worker hands its held retry back to the queue; a healthy worker takes it.
    live_workers.stop(broken)
    live_workers.start("compile")
    job = wait_final(job_id)
    assert job.state == "succeeded", job.error
    assert job.stages["compile"]["attempts"] >= 2
    assert "finished" in job.stages["upload"]
    assert "retry" in broken.log()
    assert stored_names(job_id) == ARTIFACT_NAMES


def test_compile_worker_killed_mid_task_job_still_succeeds(
    live_workers: WorkerPool, tmp_path: Path
) -> None:
    # TeX that starts 3 s late keeps the task in flight until the kill lands: a warm compile
    # takes a few hundred milliseconds, which a kill could miss.
    slow = {"RT_TEX_BIN_DIR": str(slow_tex(tmp_path / "slow-tex", 3))}
    for worker in live_workers.for_queue("compile"):
        live_workers.stop(worker)
    first = live_workers.start("compile", name="compile-slow", extra_env=slow)
    second = live_workers.start("compile", name="compile-second", extra_env=slow)
    try:
        job_id = submit()
        job = wait_for(lambda: (j := load(job_id)).state == "compiling" and j, timeout=90,
                       interval=0.01, what="compile to start")
        compile_task = job.task_ids[3]
        worker = wait_for(lambda: live_workers.received(compile_task), timeout=10)
        children = worker.pool_children()
        assert children
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        job = wait_final(job_id)
        assert job.state == "succeeded", job.error
        # The killed attempt and the one that finished; nothing duplicated in the store.
        assert job.stages["compile"]["attempts"] == 2
        assert stored_names(job_id) == ARTIFACT_NAMES
        pdf = httpx.get(storage.presigned_url(job.artifacts["resume.pdf"]), timeout=10)
        assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1
        assert "WorkerLostError" in worker.log() or "SIGKILL" in worker.log()
    finally:
        live_workers.stop(first)
        live_workers.stop(second)


def test_a_solo_stage_over_its_time_limit_is_retried_then_fails_the_job(
    live_workers: WorkerPool,
) -> None:
    # Score runs in the solo pool, whose limits workers.solo_limits enforces: a millisecond
    # is less than its guarded start takes. The parse worker sends score, so it gets the
    # tight limit too (Celery stamps the sender's on the message).
    tight = {
        "RT_SOFT_TIME_LIMITS_S": json.dumps({**get_settings().soft_time_limits_s,
                                             "score": 0.001}),
        "RT_TIME_LIMIT_GRACE_S": "10", "RT_TASK_MAX_RETRIES": "1",
    }
    started = []
    for queue in ("parse", "score"):
        for worker in live_workers.for_queue(queue):
            live_workers.stop(worker)
        started.append(live_workers.start(queue, name=f"{queue}-tight-limit", extra_env=tight))
    assert all(worker.solo and not worker.pool_children() for worker in started)
    try:
        job = wait_final(submit())
        assert job.state == "failed" and job.error is not None
        assert (job.error["stage"], job.error["type"]) == ("score", "SoftTimeLimitExceeded")
        assert "rewrite" not in job.stages
        # The first try and its one retry (the limit may strike before a start is recorded).
        log = started[1].log()
        assert "score retry 1" in log and "score gave up after 1 retries" in log
        assert "soft time limit (0.001s) exceeded" in log
        assert started[1].process.poll() is None  # the worker lives on
    finally:
        for worker in started:
            live_workers.stop(worker)


def test_a_solo_worker_over_its_memory_bound_stops_after_the_task(
    live_workers: WorkerPool,
) -> None:
    # 64 MiB is less than any worker holds once its models are loaded: the bound is passed
    # by the first task. The task completes; then the worker shuts down warmly, for its
    # supervisor (a restart policy, scripts/respawn.sh) to start it afresh.
    for worker in live_workers.for_queue("score"):
        live_workers.stop(worker)
    bounded = live_workers.start("score", name="score-bounded",
                                 extra_env={"RT_WORKER_MAX_MEMORY_PER_CHILD_MB": "64"})
    try:
        job = wait_final(submit())
        assert job.state == "succeeded", job.error
        assert bounded.process.wait(timeout=30) == 0
        assert "shutting down to be started afresh" in bounded.log()
    finally:
        live_workers.stop(bounded)


def test_a_duplicated_chain_runs_each_stage_once(live_workers: WorkerPool) -> None:
    job_id = submit(enqueue=False)
    stale = chain.build_chain(job_id)
    current = chain.build_chain(job_id)
    stale_ids = stale.task_ids
    with session_scope() as session:  # the second plan replaced the first, as a re-send does
        jobs.set_task_ids(session, job_id, current.task_ids)
    stale.send()
    current.send()
    job = wait_final(job_id)
    assert job.state == "succeeded", job.error
    assert {stage: info["attempts"] for stage, info in job.stages.items()} == {
        "parse": 1, "score": 1, "rewrite": 1, "compile": 1, "upload": 1}
    wait_for(lambda: live_workers.outcome(stale_ids[0]) == "ignored", timeout=10,
             what="the stale chain's first task to be refused")
    assert all(live_workers.received(task_id) is None for task_id in stale_ids[1:])
    assert stored_names(job_id) == ARTIFACT_NAMES


def test_cancel_mid_chain_stops_every_later_stage(live_workers: WorkerPool) -> None:
    # No rewrite worker until the job is cancelled: it stays in scoring (a score task takes a
    # few milliseconds, which polling for the state could miss) with rewrite sent.
    for worker in live_workers.for_queue("rewrite"):
        live_workers.stop(worker)
    job_id = submit()
    job = wait_for(lambda: (j := load(job_id)).state == "scoring" and j, timeout=90,
                   interval=0.005, what="the score stage to start")
    with session_scope() as session:
        change = transitions.cancel_job(session, TENANT, job_id)
    assert change.job is not None
    chain.revoke(change.job.task_ids)
    live_workers.start("rewrite")
    score_task, *later = job.task_ids[1:]
    # The running stage finishes without advancing, which ends the chain there.
    wait_for(lambda: live_workers.outcome(score_task) in ("ignored", "succeeded", "revoked"),
             timeout=60, what="the score task to end")
    stopped_at = wait_for(
        lambda: next((t for t in job.task_ids[1:] if live_workers.outcome(t) in
                      ("ignored", "revoked")), None),
        timeout=60, what="the chain to stop",
    )
    job = load(job_id)
    assert job.state == "cancelled"
    assert not {"compile", "upload"} & set(job.stages)
    assert stored_names(job_id) == []
    for task_id in job.task_ids[job.task_ids.index(stopped_at) + 1:]:
        assert live_workers.received(task_id) is None
    assert later  # rewrite, compile and upload were planned


def _delete_queue(queue: str) -> None:
    """Once its message is there (a stage sends the next just after storing its output),
    delete the queue's list, as a broker losing its data would."""
    settings = get_settings()
    client = redis.Redis.from_url(settings.redis_url)

    def lists() -> list[bytes]:
        return [key for key in client.scan_iter(match=f"{settings.key_prefix}*{queue}")
                if client.type(key) == b"list"]

    for key in wait_for(lists, timeout=30, interval=0.01, what=f"a message in the {queue} queue"):
        client.delete(key)


def _backdate(job_id: uuid.UUID) -> None:
    with session_scope() as session:
        session.execute(text("UPDATE jobs SET state_changed_at = now() - interval '1 day' "
                             "WHERE id = :id"), {"id": job_id})


def test_reaper_requeues_a_job_whose_message_was_lost(live_workers: WorkerPool) -> None:
    for worker in live_workers.for_queue("compile"):
        live_workers.stop(worker)
    job_id = submit()
    wait_for(lambda: "finished" in load(job_id).stages.get("rewrite", {}), timeout=90,
             what="rewrite to finish")
    _delete_queue("compile")  # the compile message is lost with its broker
    _backdate(job_id)
    result = reap_stuck_jobs()
    assert job_id in result.requeued and job_id not in result.failed
    assert job_id not in reap_stuck_jobs().requeued  # claimed once, not twice
    live_workers.start("compile")
    job = wait_final(job_id)
    assert job.state == "succeeded", job.error
    assert job.stages["rewrite"]["attempts"] == 1  # finished stages are not run again
    assert stored_names(job_id) == ARTIFACT_NAMES


def test_reaper_fails_a_job_that_used_up_its_attempts(service_env: dict[str, str]) -> None:
    job_id = submit(enqueue=False)
    with session_scope() as session:
        for _ in range(get_settings().max_stage_attempts):
            transitions.start_stage(session, job_id, "parse")
    _backdate(job_id)
    result = reap_stuck_jobs()
    assert job_id in result.failed
    job = load(job_id)
    assert job.state == "failed" and job.error is not None
    assert job.error["type"] == "Stuck" and job.error["stage"] == "parse"


def test_a_stage_over_its_time_limit_is_retried_then_fails_the_job(
    live_workers: WorkerPool, tmp_path: Path
) -> None:
    # Celery stamps the limits on the message from the *sender's* task settings (the rewrite
    # worker sends compile, then compile re-sends itself on retry), so both get the tight one.
    tight = {
        "RT_SOFT_TIME_LIMITS_S": json.dumps({**get_settings().soft_time_limits_s,
                                             "compile": 1.0}),
        "RT_TIME_LIMIT_GRACE_S": "10", "RT_TASK_MAX_RETRIES": "1",
        "RT_TEX_BIN_DIR": str(slow_tex(tmp_path / "slow-tex", 4)),
    }
    started = []
    for queue in ("rewrite", "compile"):
        for worker in live_workers.for_queue(queue):
            live_workers.stop(worker)
        started.append(live_workers.start(queue, name=f"{queue}-tight-limit", extra_env=tight))
    try:
        job = wait_final(submit())
        assert job.state == "failed" and job.error is not None
        assert (job.error["stage"], job.error["type"]) == ("compile", "SoftTimeLimitExceeded")
        assert job.stages["compile"]["attempts"] == 2  # the first try and its one retry
        assert "upload" not in job.stages and stored_names(job.id) == []
        assert started[1].log().count("Soft time limit (1.0s) exceeded") == 2
    finally:
        for worker in started:
            live_workers.stop(worker)
