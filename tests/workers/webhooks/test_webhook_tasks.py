"""The outbox sender against Postgres and a real loopback receiver."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.webhook_receiver import Receiver
from workers.db import outbox
from workers.db.models import WebhookDelivery
from workers.db.session import session_scope
from workers.settings import get_settings
from workers.webhooks import tasks


def _outbox_row(url: str) -> uuid.UUID:
    with session_scope() as session:
        return outbox.add_delivery(
            session, tenant="default", event_type="job.succeeded", url=url,
            payload={"type": "job.succeeded", "data": {"job_id": str(uuid.uuid4())}},
        )


def _row(delivery_id: uuid.UUID) -> WebhookDelivery:
    with session_scope() as session:
        row = session.get(WebhookDelivery, delivery_id)
        assert row is not None
        return row


@pytest.mark.service
def test_sender_retries_on_the_schedule_then_gives_up(
    service_env: dict[str, str], receiver: Receiver
) -> None:
    settings = get_settings().model_copy(update={"webhook_retry_schedule_s": [0, 0, 0]})
    delivery_id = _outbox_row(receiver.url("/hook", 503))
    delays = []
    for _ in range(3):
        [(_, result, delay)] = tasks.send_due(settings, ids=[delivery_id])
        assert result.status_code == 503
        delays.append(delay)
    assert delays == [0.0, 0.0, None]  # schedule exhausted after the third attempt
    assert tasks.send_due(settings, ids=[delivery_id]) == []  # final: nothing more to send
    row = _row(delivery_id)
    assert (row.state, row.attempts, row.last_status) == ("failed", 3, 503)
    assert [entry["status"] for entry in row.log] == [503, 503, 503]
    assert len(receiver.received) == 3


@pytest.mark.service
def test_a_leased_row_is_not_sent_twice(service_env: dict[str, str], receiver: Receiver) -> None:
    settings = get_settings()
    delivery_id = _outbox_row(receiver.url("/hook"))
    claimed = tasks.claim(settings, ids=[delivery_id])
    assert [c.id for c in claimed] == [delivery_id]
    # A duplicate message (or the sweep) arriving during the attempt finds the row leased.
    assert tasks.send_due(settings, ids=[delivery_id]) == []
    result = tasks.attempt(claimed[0], settings)
    assert tasks.record(delivery_id, result, settings) is None
    assert _row(delivery_id).state == "succeeded" and len(receiver.received) == 1


@pytest.mark.service
def test_private_url_refused_at_send_time_without_retries(
    service_env: dict[str, str], receiver: Receiver
) -> None:
    # The URL passed the submit check under other settings (or its DNS changed since).
    settings = get_settings().model_copy(update={"allow_private_webhooks": False})
    delivery_id = _outbox_row(receiver.url("/hook"))
    [(_, result, delay)] = tasks.send_due(settings, ids=[delivery_id])
    assert result.refused and delay is None
    row = _row(delivery_id)
    assert row.state == "failed" and row.attempts == 1 and "loopback" in (row.last_error or "")
    assert receiver.received == []


@pytest.mark.service
def test_sweep_sends_rows_no_message_carries(
    service_env: dict[str, str], receiver: Receiver
) -> None:
    # never handed to the queue
    delivery_ids = [_outbox_row(receiver.url("/hook")) for _ in range(3)]
    sent = tasks.sweep.run(batch=4)  # the task's body, in-process
    assert sent >= 3
    assert {_row(i).state for i in delivery_ids} == {"succeeded"}
    received_ids = {json.loads(r.body)["data"]["job_id"] for r in receiver.received}
    assert len(receiver.received) == len(received_ids) == 3  # each row once
