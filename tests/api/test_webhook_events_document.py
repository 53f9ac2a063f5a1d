"""The events the service sends match the OpenAPI document's `webhooks` section: each built
by workers/events.py from job and batch rows as the transitions leave them, encoded and signed
as the sender does. In-process: no services needed."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.api.openapi_checks import openapi_document, webhook_errors
from workers.db.models import Batch, BatchState, Job, JobState
from workers.events import batch_event, job_event
from workers.webhooks.signing import new_secret, signed_headers
from workers.webhooks.tasks import encode_payload


def _sent(payload: dict[str, object]) -> tuple[dict[str, object], dict[str, str]]:
    """What a receiver gets: the encoded body, parsed back, and the signed headers."""
    body = encode_payload(payload)
    return json.loads(body), signed_headers(new_secret(), "msg_" + uuid.uuid4().hex, body)


def _succeeded_job() -> Job:
    job_id = uuid.uuid4()
    return Job(
        id=job_id, tenant="default", state=JobState.succeeded.value, batch_id=None,
        match_rate=0.58, match_rate_after=0.79,
        artifacts={name: f"default/{job_id}/{name}"
                   for name in ("resume.pdf", "resume.tex", "report.json", "tailored.json")},
        error=None,
    )


def _failed_job() -> Job:
    # As transitions.fail_job records it: the compile stage refused the input, naming it.
    return Job(
        id=uuid.uuid4(), tenant="default", state=JobState.failed.value, batch_id=None,
        match_rate=0.4, match_rate_after=None, artifacts={},
        error={"stage": "compile", "type": "InvalidInput", "field": "basics.name",
               "message": "basics.name: no installed font sets these characters"},
    )


@pytest.mark.parametrize("make_job", [_succeeded_job, _failed_job])
def test_job_events_match_the_document(make_job: object) -> None:
    assert callable(make_job)
    event_type, payload = job_event(make_job())
    assert event_type in ("job.succeeded", "job.failed")
    body, headers = _sent(payload)
    assert webhook_errors(event_type, body, headers) == []


def test_batch_completed_matches_the_document() -> None:
    batch = Batch(id=uuid.uuid4(), tenant="default", kind="one_resume",
                  state=BatchState.completed.value, total=20, succeeded=18, failed=1,
                  cancelled=1)
    event_type, payload = batch_event(batch)
    body, headers = _sent(payload)
    assert webhook_errors(event_type, body, headers) == []


def test_a_changed_event_would_not_match() -> None:
    """The comparison has teeth: an event missing a field, or an unknown type, fails."""
    event_type, payload = job_event(_succeeded_job())
    body, headers = _sent(payload)
    del body["data"]["job_id"]  # type: ignore[attr-defined]
    assert webhook_errors(event_type, body, headers)
    assert webhook_errors("job.cancelled", body, headers)
    assert webhook_errors(event_type, _sent(payload)[0], {})  # no signature headers


def test_the_document_explains_verification() -> None:
    for name, item in openapi_document()["webhooks"].items():
        text = item["post"]["description"]
        assert "HMAC-SHA256" in text and "whsec_" in text and "webhook-timestamp" in text, name
        assert {p["name"] for p in item["post"]["parameters"]} == {
            "webhook-id", "webhook-timestamp", "webhook-signature"}
