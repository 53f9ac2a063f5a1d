"""`/v1/jobs/{id}/report` and `/v1/batches/{id}/webhooks` over real HTTP, with workers."""

from __future__ import annotations

import io
import uuid
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from tests.api import factories
from tests.api.conftest import poll
from tests.service_fixtures import wait_for
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.service


def test_report_of_a_finished_job(http: httpx.Client, celery_workers: Any) -> None:
    resume = factories.resume()
    response = http.post("/v1/jobs", json=factories.job(resume=resume))
    assert response.status_code == 202, response.text
    location = response.headers["location"]
    assert poll(http, location)["state"] == "succeeded"

    report = http.get(f"{location}/report")
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["state"] == "succeeded"
    assert body["posting"]["title"] and body["posting"]["culture"]["tone"]
    before, after = body["before"], body["after"]
    assert 0 <= before["match_rate"] <= before["ceiling"] <= 1
    python = next(s for s in before["skills"] if s["name"] == "Python")
    assert python["matched"]
    assert "skills[0].keywords[0]" in {e["path"] for e in python["evidence"]}  # "Python"
    assert after["match_rate"] >= before["match_rate"]

    # Every line carries its own text and its sources' texts, read from the master resume.
    assert body["lines"]
    for line in body["lines"]:
        for path, text in line["sources"].items():
            if path.startswith("work[0].highlights["):
                index = int(path.split("[")[2].rstrip("]"))
                assert text == resume["work"][0]["highlights"][index]
    assert any(line["text"] for line in body["lines"])
    assert body["compile"]["pages"] == 1 and body["compile"]["compiles"] >= 1

    # The inline URL is for a viewer: the PDF, not offered as an attachment.
    pdf = httpx.get(body["pdf_url"], timeout=30)
    assert pdf.status_code == 200
    assert "attachment" not in pdf.headers.get("content-disposition", "")
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 1
    assert body["pdf_url_expires_in_s"] > 0


def test_report_before_any_stage_ran_and_of_no_job(http: httpx.Client) -> None:
    # No workers asked for: the job stays queued (others' workers may exist; then it is
    # some stage along, and what is filled in must match what ran).
    response = http.post("/v1/jobs", json=factories.job(posting=factories.posting(8)))
    body = http.get(f"{response.headers['location']}/report").json()
    if body["state"] == "queued":
        assert body["posting"] is None and body["before"] is None and body["lines"] == []
        assert body["pdf_url"] is None
    for path in (f"/v1/jobs/{uuid.uuid4()}/report", "/v1/jobs/not-an-id/report",
                 f"/v1/batches/{uuid.uuid4()}/webhooks"):
        missing = http.get(path)
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("application/problem+json")


def test_batch_webhook_status(http: httpx.Client, celery_workers: Any,
                              receiver: Receiver) -> None:
    url = receiver.url("/batch-status", 503, 204)  # refused once, then taken
    response = http.post("/v1/batches", json={
        "resume": factories.resume(), "postings": [factories.posting(1), factories.posting(2)],
        "webhook_url": url,
    })
    assert response.status_code == 202, response.text
    batch_id = response.json()["id"]
    hooks = http.get(f"/v1/batches/{batch_id}/webhooks").json()
    assert hooks["webhook_url"] == url

    assert poll(http, f"/v1/batches/{batch_id}", until={"completed"})["state"] == "completed"
    receiver.wait_for("/batch-status", 2, timeout_s=60)

    def delivered() -> dict[str, Any] | None:
        body: dict[str, Any] = http.get(f"/v1/batches/{batch_id}/webhooks").json()
        return body if body["deliveries"] and body["deliveries"][0]["state"] == "succeeded" \
            else None

    body = wait_for(delivered, timeout=30, interval=0.2, what="the delivery to be recorded")
    (delivery,) = body["deliveries"]
    assert delivery["event_type"] == "batch.completed"
    assert delivery["attempts"] == 2 and delivery["last_status"] == 204
    assert delivery["next_attempt_at"] is None
    without = http.post("/v1/batches", json={"resume": factories.resume(),
                                             "postings": [factories.posting(3)]}).json()
    assert http.get(f"/v1/batches/{without['id']}/webhooks").json() == {
        "batch_id": without["id"], "webhook_url": None, "deliveries": []}
