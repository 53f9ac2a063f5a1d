"""The outbox sender: lease due webhook deliveries, attempt each once (guarded, signed) and
record the attempt; as Celery tasks, one per delivery and a periodic sweep."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from workers import metrics
from workers.app import DELIVER_TASK, SWEEP_TASK, app
from workers.db import outbox
from workers.db.models import DeliveryState
from workers.db.session import session_scope
from workers.settings import Settings, get_settings
from workers.webhooks.post import Attempt, post_signed
from workers.webhooks.signing import signed_headers
from workers.webhooks.targets import UnsafeURL, guard_options, resolve_target

# A claimed row is leased for the attempt's timeout plus this, then due again.
LEASE_MARGIN_S = 30.0


@dataclass(frozen=True)
class Claimed:
    """What one attempt needs from a leased outbox row, read before its transaction ends."""

    id: uuid.UUID
    event_id: str
    tenant: str
    url: str
    body: bytes


def encode_payload(payload: dict[str, Any]) -> bytes:
    """The exact bytes signed and sent: stable across retries (sorted keys, no spaces)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


def claim(
    settings: Settings, *, ids: Sequence[uuid.UUID] | None = None, limit: int = 1
) -> list[Claimed]:
    """Lease due pending rows (SKIP LOCKED) and commit, so no transaction stays open during
    the POST; the lease outlasts the attempt, and a sender that dies mid-attempt leaves its
    row due again once the lease ends."""
    lease_s = settings.webhook_timeout_s + LEASE_MARGIN_S
    with session_scope() as session:
        rows = outbox.claim_due_deliveries(session, limit=limit, lease_s=lease_s, ids=ids)
        return [Claimed(r.id, r.event_id, r.tenant, r.url, encode_payload(r.payload))
                for r in rows]


def attempt(
    delivery: Claimed, settings: Settings, *, client: httpx.Client | None = None
) -> Attempt:
    """Resolve (SSRF guard) and POST once, signed with the tenant's secret."""
    try:
        target = resolve_target(delivery.url, **guard_options(settings))
    except UnsafeURL as exc:
        # Checked at submit time too; a name that now resolves inside is refused for good.
        return Attempt(None, f"refused: {exc}", 0.0, refused=True)
    headers = signed_headers(settings.webhook_secret_for(delivery.tenant), delivery.event_id,
                             delivery.body)
    return post_signed(target, delivery.body, headers, timeout_s=settings.webhook_timeout_s,
                       client=client)


def record(delivery_id: uuid.UUID, result: Attempt, settings: Settings) -> float | None:
    """Log the attempt in the row; the delay before the next one, or None when final."""
    # A refused URL gets no retries: an empty schedule makes this attempt the last.
    schedule = () if result.refused else settings.webhook_retry_schedule_s
    metrics.webhook_attempt(result)
    with session_scope() as session:
        row = outbox.record_delivery_attempt(
            session, delivery_id, status=result.status_code, error=result.error,
            duration_ms=result.duration_ms, retry_schedule_s=schedule,
        )
        if row.state != DeliveryState.pending.value:
            if row.state == DeliveryState.failed.value:
                metrics.webhook_given_up(result)
            return None
        return float(schedule[row.attempts])


def send_due(
    settings: Settings, *, ids: Sequence[uuid.UUID] | None = None, limit: int = 1,
    client: httpx.Client | None = None,
) -> list[tuple[uuid.UUID, Attempt, float | None]]:
    """Claim, attempt and record: (id, attempt, retry delay or None) per row sent."""
    results = []
    for delivery in claim(settings, ids=ids, limit=limit):
        result = attempt(delivery, settings, client=client)
        results.append((delivery.id, result, record(delivery.id, result, settings)))
    return results


def _schedule_retry(delivery_id: uuid.UUID, delay_s: float | None, settings: Settings) -> None:
    # A retry further away than half the visibility timeout is left to the sweep: Redis
    # redelivers a countdown message held longer than that timeout.
    if delay_s is not None and delay_s < settings.visibility_timeout_s / 2:
        deliver.apply_async(args=[str(delivery_id)], countdown=delay_s)


@app.task(name=DELIVER_TASK)
def deliver(delivery_id: str) -> str:
    """One attempt at one outbox row (if it is pending and due), then its retry scheduled.
    A duplicate or early message finds the row leased or not due and does nothing."""
    settings = get_settings()
    sent = send_due(settings, ids=[uuid.UUID(delivery_id)])
    for row_id, result, delay in sent:
        _schedule_retry(row_id, delay, settings)
        return "pending" if delay is not None else ("succeeded" if result.ok else "failed")
    return "skipped"


@app.task(name=SWEEP_TASK)
def sweep(batch: int = 10, budget_s: float = 20.0) -> int:
    """Send due rows that no message carries: long retries, and sends whose message was lost
    after the commit. Run periodically (beat); safe at any time, since rows are leased.

    Attempts run `batch` at a time in threads, so a few slow receivers (each bounded by the
    attempt timeout) cannot hold up the rest; claiming stops once `budget_s` has passed."""
    settings = get_settings()
    deadline = time.monotonic() + budget_s
    sent = 0
    with ThreadPoolExecutor(max_workers=batch, thread_name_prefix="webhook-sweep") as pool:
        while time.monotonic() < deadline:
            claimed = claim(settings, limit=batch)
            if not claimed:
                break
            results = list(pool.map(lambda row: attempt(row, settings), claimed))
            for row, result in zip(claimed, results, strict=True):
                _schedule_retry(row.id, record(row.id, result, settings), settings)
            sent += len(claimed)
    return sent
