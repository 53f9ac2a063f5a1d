"""Guarded job transitions against real Postgres: forward only, nothing after a cancel, the
webhook in the same transaction, tasks of another chain refused."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.workers.db.conftest import new_job
from workers.db import jobs, outbox, transitions
from workers.db.models import JobState
from workers.db.transitions import StartOutcome

pytestmark = pytest.mark.service


def _outcome(session: Session, job_id: uuid.UUID, stage: str, **kw: Any) -> StartOutcome:
    return transitions.start_stage(session, job_id, stage, **kw)[0]


def test_stages_move_forward_only(db_session: Session) -> None:
    job_id = new_job(db_session)
    assert _outcome(db_session, job_id, "score") is StartOutcome.stop  # skips parse
    outcome, job = transitions.start_stage(db_session, job_id, "parse")
    assert outcome is StartOutcome.started and job is not None
    assert (job.state, job.attempts) == ("parsing", 1)
    # A redelivery before the stage finished runs it again and counts the attempt.
    outcome, job = transitions.start_stage(db_session, job_id, "parse")
    assert outcome is StartOutcome.started and job is not None and job.attempts == 2
    stored = transitions.complete_stage(db_session, job_id, "parse", {"analysis": {"x": 1}},
                                 cache_hit=False)
    assert stored is not None and stored.analysis == {"x": 1}
    assert stored.stages["parse"]["cache_hit"] is False and "finished" in stored.stages["parse"]
    # After it finished, a redelivery does no work but lets the chain continue.
    assert _outcome(db_session, job_id, "parse") is StartOutcome.done
    assert _outcome(db_session, job_id, "score") is StartOutcome.started
    # Backwards: parse again once scoring began, or storing parse output now, is refused.
    assert _outcome(db_session, job_id, "parse") is StartOutcome.stop
    assert transitions.complete_stage(db_session, job_id, "parse", {"analysis": {"x": 2}}) is None
    job = jobs.load_job(db_session, job_id)
    assert job is not None and job.state == "scoring" and job.analysis == {"x": 1}
    assert job.attempts == 1  # the new stage counts its own attempts


def test_nothing_moves_after_cancel(db_session: Session) -> None:
    job_id = new_job(db_session, tenant="acme")
    transitions.start_stage(db_session, job_id, "parse")
    assert transitions.cancel_job(db_session, "other-tenant", job_id).job is None
    change = transitions.cancel_job(db_session, "acme", job_id)
    assert change.job is not None and change.job.state == "cancelled"
    assert transitions.complete_stage(db_session, job_id, "parse", {"analysis": {}}) is None
    assert _outcome(db_session, job_id, "parse") is StartOutcome.stop
    assert _outcome(db_session, job_id, "score") is StartOutcome.stop
    failed = transitions.fail_job(db_session, job_id, stage="parse", error_type="X", message="m")
    assert failed.job is None
    assert transitions.cancel_job(db_session, "acme", job_id).job is None  # already final
    job = jobs.get_job(db_session, "acme", job_id)
    assert job is not None and job.state == JobState.cancelled and job.finished_at is not None


def test_terminal_change_writes_its_webhook_in_the_same_transaction(db_session: Session) -> None:
    job_id = new_job(db_session, webhook_url="https://example.com/hook")
    for stage in ("parse", "score", "rewrite", "compile", "upload"):
        assert _outcome(db_session, job_id, stage) is StartOutcome.started
        if stage != "upload":
            assert transitions.complete_stage(db_session, job_id, stage, {}) is not None
    change = transitions.finish_job(db_session, job_id, {"artifacts": {"resume.pdf": "k"}})
    assert change.job is not None and change.job.state == "succeeded"
    [delivery] = outbox.deliveries_for(db_session, job_id=job_id)
    assert delivery.id in change.deliveries and delivery.event_type == "job.succeeded"
    assert delivery.payload["data"]["job_id"] == str(job_id)
    assert delivery.event_id.startswith("msg_")
    # Finishing twice changes nothing and writes nothing.
    assert transitions.finish_job(db_session, job_id, {}).job is None
    assert len(outbox.deliveries_for(db_session, job_id=job_id)) == 1


def test_a_task_outside_the_jobs_chain_is_refused(db_session: Session) -> None:
    job_id = new_job(db_session)
    jobs.set_task_ids(db_session, job_id, ["a-parse", "a-score"])
    assert _outcome(db_session, job_id, "parse", task_id="b-parse") is StartOutcome.stop
    outcome, job = transitions.start_stage(db_session, job_id, "parse", task_id="a-parse")
    assert outcome is StartOutcome.started and job is not None and job.attempts == 1
    # A duplicate chain's task neither runs the stage alongside nor counts an attempt.
    assert _outcome(db_session, job_id, "parse", task_id="b-parse") is StartOutcome.stop
    job = jobs.load_job(db_session, job_id)
    assert job is not None and job.stages["parse"]["attempts"] == 1
    transitions.complete_stage(db_session, job_id, "parse", {})
    assert _outcome(db_session, job_id, "parse", task_id="b-parse") is StartOutcome.stop
    assert _outcome(db_session, job_id, "parse", task_id="a-parse") is StartOutcome.done

