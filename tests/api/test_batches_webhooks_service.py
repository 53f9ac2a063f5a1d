"""Batches and webhooks over real HTTP: uvicorn, Postgres, Redis, SeaweedFS, worker processes,
and a loopback receiver that checks signatures with the `standardwebhooks` package."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from tests.api import factories
from tests.api.conftest import poll
from tests.api.openapi_checks import webhook_errors
from tests.webhook_receiver import Receiver
from workers import chain
from workers.db import outbox
from workers.db.models import Batch, Job, WebhookDelivery
from workers.db.session import session_scope
from workers.settings import get_settings

pytestmark = pytest.mark.service


def _verifier() -> Webhook:
    return Webhook(get_settings().webhook_secret_for("default"))


def _final_deliveries(
    db_session: Session, *, job_id: uuid.UUID | None = None, batch_id: uuid.UUID | None = None,
    timeout_s: float = 60,
) -> list[WebhookDelivery]:
    """The outbox rows once none is pending (the sender records after the receiver answers)."""
    deadline = time.monotonic() + timeout_s
    while True:
        db_session.rollback()  # a fresh snapshot each round
        rows = outbox.deliveries_for(db_session, job_id=job_id, batch_id=batch_id)
        if rows and all(row.state != "pending" for row in rows):
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"deliveries still pending: {[(r.state, r.log) for r in rows]}")
        time.sleep(0.1)


def test_batch_of_20_postings_ranks_and_fires_one_webhook(
    http: httpx.Client, receiver: Receiver, db_session: Session, celery_workers: Any
) -> None:
    hook = receiver.url("/batch")
    body = {
        "resume": factories.resume(),
        "postings": [{"label": f"posting-{i}", "posting": factories.posting(i)}
                     for i in range(20)],
        "webhook_url": hook,
    }
    response = http.post("/v1/batches", json=body)
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["total"] == 20 and len(set(accepted["job_ids"])) == 20

    batch = poll(http, response.headers["location"], until={"completed"}, timeout_s=600)
    assert batch["counts"]["succeeded"] == 20, batch["counts"]
    assert [item["index"] for item in batch["items"]] == list(range(20))
    ranking = batch["ranking"]
    assert len(ranking) == 20 and [r["rank"] for r in ranking] == list(range(1, 21))
    fits = [r["fit"] for r in ranking]
    assert fits == sorted(fits, reverse=True)
    assert {r["label"] for r in ranking} == {f"posting-{i}" for i in range(20)}
    # A resume of Python/Django/PostgreSQL work fits the backend posting better than iOS work.
    by_label = {r["label"]: r for r in ranking}
    assert by_label["posting-0"]["fit"] > by_label["posting-6"]["fit"]
    assert by_label["posting-0"]["match_rate"] > by_label["posting-6"]["match_rate"]

    rows = _final_deliveries(db_session, batch_id=uuid.UUID(accepted["id"]))
    assert len(rows) == 1 and rows[0].state == "succeeded"
    received = receiver.on("/batch")
    assert len(received) == 1, "exactly one batch webhook, and none per item"
    event = _verifier().verify(received[0].body, received[0].headers)
    assert event["type"] == "batch.completed"
    assert webhook_errors("batch.completed", event, received[0].headers) == []
    assert event["data"]["batch_id"] == accepted["id"] and event["data"]["succeeded"] == 20


def test_batch_ranks_by_fit_not_by_match_rate(
    http: httpx.Client, celery_workers: Any
) -> None:
    """A posting from another line of work that asks only for SQL meets all it asks (a high
    match rate) yet fits this backend engineer worst; the ranking goes by fit."""
    asks_little = "Warehouse Worker\n\n## Requirements\n- Basic SQL to look up stock levels\n"
    body = {
        "resume": factories.resume(),
        "postings": [
            {"label": "asks-little", "posting": asks_little},
            {"label": "backend", "posting": factories.posting(0)},
            {"label": "sre", "posting": factories.posting(3)},
        ],
    }
    response = http.post("/v1/batches", json=body)
    assert response.status_code == 202, response.text
    batch = poll(http, response.headers["location"], until={"completed"}, timeout_s=300)
    assert batch["counts"]["succeeded"] == 3, batch["counts"]
    ranking = batch["ranking"]
    assert [r["label"] for r in ranking] == ["backend", "sre", "asks-little"]
    assert [r["rank"] for r in ranking] == [1, 2, 3]
    by_label = {r["label"]: r for r in ranking}
    assert by_label["asks-little"]["match_rate"] > by_label["sre"]["match_rate"]
    fits = [r["fit"] for r in ranking]
    assert fits == sorted(fits, reverse=True) and fits[0] > fits[-1]
    parts = by_label["asks-little"]["fit_parts"]
    assert set(parts) == {"coverage", "centrality", "role", "seniority", "gaps"}
    assert parts["role"] < by_label["backend"]["fit_parts"]["role"]
    items = {item["label"]: item for item in batch["items"]}
    assert items["backend"]["fit"] == by_label["backend"]["fit"]


def test_webhook_retried_after_two_500s_with_valid_signatures(
    http: httpx.Client, receiver: Receiver, db_session: Session, celery_workers: Any
) -> None:
    hook = receiver.url("/flaky", 500, 500, 204)
    response = http.post("/v1/jobs", json=factories.job(webhook_url=hook))
    assert response.status_code == 202, response.text
    job = poll(http, response.headers["location"])
    assert job["state"] == "succeeded"

    rows = _final_deliveries(db_session, job_id=uuid.UUID(job["id"]))
    assert [row.state for row in rows] == ["succeeded"]
    assert [entry["status"] for entry in rows[0].log] == [500, 500, 204]
    assert all(entry["duration_ms"] >= 0 for entry in rows[0].log)

    attempts = receiver.on("/flaky")
    assert len(attempts) == 3
    verifier = _verifier()
    events: list[dict[str, Any]] = [verifier.verify(a.body, a.headers) for a in attempts]
    # One event: the same id on every attempt (receivers de-duplicate on it), same body.
    assert len({a.headers["webhook-id"] for a in attempts}) == 1
    assert attempts[0].headers["webhook-id"] == rows[0].event_id
    assert len({a.body for a in attempts}) == 1
    assert events[0]["type"] == "job.succeeded" and events[0]["data"]["job_id"] == job["id"]
    assert webhook_errors("job.succeeded", events[0], attempts[0].headers) == []


def test_410_stops_retries(receiver: Receiver, db_session: Session, celery_workers: Any) -> None:
    # Straight into the outbox, sent by the real webhooks worker: no job needed.
    hook = receiver.url("/gone", 410)
    with session_scope() as session:
        delivery_id = outbox.add_delivery(
            session, tenant="default", event_type="job.succeeded", url=hook,
            payload={"type": "job.succeeded", "data": {"job_id": "x"}},
        )
    chain.send_deliveries([delivery_id])
    deadline = time.monotonic() + 60
    while True:
        db_session.rollback()
        row = db_session.get(WebhookDelivery, delivery_id)
        if row is not None and row.state != "pending":
            break
        assert time.monotonic() < deadline, "delivery still pending"
        time.sleep(0.1)
    assert row.state == "failed" and row.attempts == 1 and row.last_status == 410
    assert len(receiver.on("/gone")) == 1


def test_batch_idempotency_and_bad_items_write_nothing(
    http: httpx.Client, db_session: Session
) -> None:
    key = f"batch-{uuid.uuid4()}"
    body = {"items": [{"resume": factories.resume(), "posting": factories.posting(i)}
                      for i in range(3)]}
    first = http.post("/v1/batches", json=body, headers={"Idempotency-Key": key})
    again = http.post("/v1/batches", json=body, headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json() == first.json()  # same batch, same jobs in the same order
    changed = {"items": body["items"][:2]}
    conflict = http.post("/v1/batches", json=changed, headers={"Idempotency-Key": key})
    assert conflict.status_code == 422
    assert [e["field"] for e in conflict.json()["errors"]] == ["header.Idempotency-Key"]

    db_session.rollback()
    batches_before = db_session.scalar(select(func.count()).select_from(Batch))
    jobs_before = db_session.scalar(select(func.count()).select_from(Job))
    bad = {"items": [*body["items"],
                     {"resume": {"education": [{"endDate": "2020-13"}]}, "posting": "x"}]}
    response = http.post("/v1/batches", json=bad)
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["items[3].resume.education[0].endDate"]
    db_session.rollback()
    assert db_session.scalar(select(func.count()).select_from(Batch)) == batches_before
    assert db_session.scalar(select(func.count()).select_from(Job)) == jobs_before
