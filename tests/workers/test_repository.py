"""The repository against real Postgres: idempotent submits, guarded transitions, the outbox
claim, and the batch counter under concurrency."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from workers.db import repository as repo
from workers.db.models import DeliveryState, JobState, WebhookDelivery
from workers.db.repository import StartOutcome
from workers.db.session import session_scope

pytestmark = pytest.mark.service
T = TypeVar("T")
RESUME: dict[str, Any] = {"basics": {"name": "Ada"}}


def _tenant() -> str:
    return f"t-{uuid.uuid4().hex[:8]}"


def _concurrently(count: int, fn: Callable[[int], T]) -> list[T]:
    barrier = threading.Barrier(count)

    def run(i: int) -> T:
        barrier.wait()
        return fn(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_same_idempotency_key_under_concurrency_makes_one_job(service_env: dict[str, str]) -> None:
    tenant = _tenant()

    def submit(_: int) -> tuple[uuid.UUID, bool]:
        with session_scope() as s:
            job, created = repo.create_job(s, tenant=tenant, resume=RESUME, posting="p",
                                           idempotency_key="key-1", request_hash="h")
            return job.id, created

    results = _concurrently(30, submit)
    assert len({job_id for job_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    with session_scope() as s:
        count = s.execute(text("SELECT count(*) FROM jobs WHERE tenant = :t"), {"t": tenant})
        assert count.scalar_one() == 1
        # Another tenant may use the same key for its own job.
        _, created = repo.create_job(s, tenant=_tenant(), resume=RESUME, posting="p",
                                     idempotency_key="key-1")
        assert created


def _job(session: Session, **kw: Any) -> uuid.UUID:
    job, _ = repo.create_job(session, tenant=kw.pop("tenant", "acme"), resume=RESUME,
                             posting="posting", **kw)
    return job.id


def test_stages_move_forward_only(db_session: Session) -> None:
    job_id = _job(db_session)
    assert repo.start_stage(db_session, job_id, "score")[0] is StartOutcome.stop  # skips parse
    outcome, job = repo.start_stage(db_session, job_id, "parse")
    assert outcome is StartOutcome.started and job is not None
    assert (job.state, job.attempts) == ("parsing", 1)
    # A redelivery before the stage finished runs it again and counts the attempt.
    outcome, job = repo.start_stage(db_session, job_id, "parse")
    assert outcome is StartOutcome.started and job is not None and job.attempts == 2
    stored = repo.complete_stage(db_session, job_id, "parse", {"analysis": {"x": 1}},
                                 cache_hit=False)
    assert stored is not None and stored.analysis == {"x": 1}
    assert stored.stages["parse"]["cache_hit"] is False and "finished" in stored.stages["parse"]
    # After it finished, a redelivery does no work but lets the chain continue.
    assert repo.start_stage(db_session, job_id, "parse")[0] is StartOutcome.done
    assert repo.start_stage(db_session, job_id, "score")[0] is StartOutcome.started
    # Backwards: parse again once scoring began, or storing parse output now, is refused.
    assert repo.start_stage(db_session, job_id, "parse")[0] is StartOutcome.stop
    assert repo.complete_stage(db_session, job_id, "parse", {"analysis": {"x": 2}}) is None
    job = repo.load_job(db_session, job_id)
    assert job is not None and job.state == "scoring" and job.analysis == {"x": 1}
    assert job.attempts == 1  # the new stage counts its own attempts


def test_nothing_moves_after_cancel(db_session: Session) -> None:
    job_id = _job(db_session, tenant="acme")
    repo.start_stage(db_session, job_id, "parse")
    assert repo.cancel_job(db_session, "other-tenant", job_id).job is None
    change = repo.cancel_job(db_session, "acme", job_id)
    assert change.job is not None and change.job.state == "cancelled"
    assert repo.complete_stage(db_session, job_id, "parse", {"analysis": {}}) is None
    assert repo.start_stage(db_session, job_id, "parse")[0] is StartOutcome.stop
    assert repo.start_stage(db_session, job_id, "score")[0] is StartOutcome.stop
    assert repo.fail_job(db_session, job_id, stage="parse", error_type="X", message="m").job is None
    assert repo.cancel_job(db_session, "acme", job_id).job is None  # already final
    job = repo.get_job(db_session, "acme", job_id)
    assert job is not None and job.state == JobState.cancelled and job.finished_at is not None


def test_terminal_change_writes_its_webhook_in_the_same_transaction(db_session: Session) -> None:
    job_id = _job(db_session, webhook_url="https://example.com/hook")
    for stage in ("parse", "score", "rewrite", "compile", "upload"):
        assert repo.start_stage(db_session, job_id, stage)[0] is StartOutcome.started
        if stage != "upload":
            assert repo.complete_stage(db_session, job_id, stage, {}) is not None
    change = repo.finish_job(db_session, job_id, {"artifacts": {"resume.pdf": "k"}})
    assert change.job is not None and change.job.state == "succeeded"
    [delivery] = repo.deliveries_for(db_session, job_id=job_id)
    assert delivery.id in change.deliveries and delivery.event_type == "job.succeeded"
    assert delivery.payload["data"]["job_id"] == str(job_id)
    assert delivery.event_id.startswith("msg_")
    # Finishing twice changes nothing and writes nothing.
    assert repo.finish_job(db_session, job_id, {}).job is None
    assert len(repo.deliveries_for(db_session, job_id=job_id)) == 1


def test_last_batch_item_closes_the_batch_once(service_env: dict[str, str]) -> None:
    tenant = _tenant()
    with session_scope() as s:
        batch, _ = repo.create_batch(s, tenant=tenant, kind="pairs", total=12,
                                     webhook_url="https://example.com/b")
        job_ids = [_job(s, tenant=tenant, batch_id=batch.id, batch_item=i) for i in range(12)]
    with session_scope() as s:
        assert repo.cancel_job(s, tenant, job_ids[0]).job is not None

    def finish(i: int) -> list[uuid.UUID]:
        with session_scope() as s:
            return repo.fail_job(s, job_ids[i + 1], stage="parse", error_type="X",
                                 message="m").deliveries

    deliveries = [d for ds in _concurrently(11, finish) for d in ds]
    with session_scope() as s:
        closed = repo.get_batch(s, tenant, batch.id)
        assert closed is not None
        assert (closed.state, closed.failed, closed.cancelled) == ("completed", 11, 1)
        [event] = repo.deliveries_for(s, batch_id=batch.id)
        assert event.event_type == "batch.completed" and event.id in deliveries
        assert event.payload["data"]["failed"] == 11


def test_outbox_claims_skip_locked_rows_and_never_hand_out_a_row_twice(
    service_env: dict[str, str],
) -> None:
    tenant = _tenant()
    with session_scope() as s:
        ids = [repo.add_delivery(s, tenant=tenant, event_type="job.succeeded",
                                 url="https://example.com", payload={"n": i}) for i in range(40)]
    # A sender holding a row in an open transaction: the others skip it.
    with session_scope() as holder:
        held = holder.execute(
            select(WebhookDelivery).where(WebhookDelivery.id == ids[0]).with_for_update()
        ).scalar_one()

        def claim_until_empty(_: int) -> list[uuid.UUID]:
            taken: list[uuid.UUID] = []
            while True:
                with session_scope() as s:
                    rows = repo.claim_due_deliveries(s, limit=3, lease_s=600, ids=ids)
                    if not rows:
                        return taken
                    taken += [row.id for row in rows]

        claimed = [d for ds in _concurrently(4, claim_until_empty) for d in ds]
        assert held.id not in claimed
    assert len(claimed) == len(set(claimed)) == 39
    with session_scope() as s:  # the lease keeps claimed rows from being handed out again
        assert [r.id for r in repo.claim_due_deliveries(s, limit=50, ids=ids)] == [ids[0]]


def test_delivery_attempts_follow_the_schedule(db_session: Session) -> None:
    delivery_id = repo.add_delivery(db_session, tenant="acme", event_type="job.failed",
                                    url="https://example.com", payload={})
    schedule = [0, 0, 0]
    for expected in ("pending", "pending", "failed"):
        [row] = repo.claim_due_deliveries(db_session, lease_s=0, ids=[delivery_id])
        row = repo.record_delivery_attempt(db_session, row.id, status=500, error="HTTP 500",
                                           duration_ms=1, retry_schedule_s=schedule)
        assert row.state == expected
    assert [entry["attempt"] for entry in row.log] == [1, 2, 3]
    assert repo.claim_due_deliveries(db_session, ids=[delivery_id]) == []
    other = repo.add_delivery(db_session, tenant="acme", event_type="job.failed",
                              url="https://example.com", payload={})
    [row] = repo.claim_due_deliveries(db_session, ids=[other])
    row = repo.record_delivery_attempt(db_session, other, status=204, error=None, duration_ms=1,
                                       retry_schedule_s=schedule)
    assert row.state == DeliveryState.succeeded


def test_a_task_outside_the_jobs_chain_is_refused(db_session: Session) -> None:
    job_id = _job(db_session)
    repo.set_task_ids(db_session, job_id, ["a-parse", "a-score"])
    assert repo.start_stage(db_session, job_id, "parse", task_id="b-parse")[0] is StartOutcome.stop
    outcome, job = repo.start_stage(db_session, job_id, "parse", task_id="a-parse")
    assert outcome is StartOutcome.started and job is not None and job.attempts == 1
    # A duplicate chain's task neither runs the stage alongside nor counts an attempt.
    assert repo.start_stage(db_session, job_id, "parse", task_id="b-parse")[0] is StartOutcome.stop
    job = repo.load_job(db_session, job_id)
    assert job is not None and job.stages["parse"]["attempts"] == 1
    repo.complete_stage(db_session, job_id, "parse", {})
    assert repo.start_stage(db_session, job_id, "parse", task_id="b-parse")[0] is StartOutcome.stop
    assert repo.start_stage(db_session, job_id, "parse", task_id="a-parse")[0] is StartOutcome.done
