"""`resume_tailor_client` against the real service: uvicorn, Postgres, Redis, SeaweedFS and
the Celery workers the API tests start, called with a real API key. Submit with an
idempotency key, wait, download, purge, batch, and a webhook verified with the client's own
verifier."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from resume_tailor_client import ApiError, Client, verify_webhook
from tests.api import factories
from tests.service_fixtures import Credential
from tests.webhook_receiver import Receiver
from workers.settings import get_settings

pytestmark = pytest.mark.service


def test_submit_wait_download_and_verify_the_webhook(
    api_url: str, api_key: Credential, celery_workers: Any, receiver: Receiver, tmp_path: Path,
) -> None:
    hook = receiver.url("/client")
    with Client(api_url, api_key=api_key.key) as client:
        job = client.submit_job(factories.resume(), factories.posting(0), template="modern",
                                webhook_url=hook, idempotency_key="client-test-1")
        again = client.submit_job(factories.resume(), factories.posting(0), template="modern",
                                  webhook_url=hook, idempotency_key="client-test-1")
        assert again.id == job.id  # the same key and body: the same job, nothing new queued
        with pytest.raises(ApiError) as reused:
            client.submit_job(factories.resume(), factories.posting(1),
                              idempotency_key="client-test-1")
        assert reused.value.problem.type == "/problems/idempotency-key-reused"

        done = client.wait_for_job(job.id, timeout_s=300)
        assert done.state == "succeeded", done.error
        assert done.artifacts and "resume.pdf" in done.artifacts
        assert done.match is not None and done.match.match_rate_after is not None
        pdf = client.download_artifact(job.id, "resume.pdf", tmp_path / "resume.pdf")
        assert pdf.startswith(b"%PDF-") and (tmp_path / "resume.pdf").read_bytes() == pdf

        with pytest.raises(ApiError) as missing:
            client.get_job("00000000-0000-0000-0000-000000000000")
        assert missing.value.status == 404 and missing.value.problem.type == "/problems/not-found"

    [received] = receiver.wait_for("/client", 1, timeout_s=60)
    event = verify_webhook(received.body, received.headers,
                           get_settings().webhook_secret_for("default"))
    assert event.type == "job.succeeded" and event.data["job_id"] == str(job.id)
    assert event.id == received.headers["webhook-id"]

    with Client(api_url, api_key=api_key.key) as client:
        purged = client.cancel_job(job.id, purge=True)  # a finished job: purged, not cancelled
        assert purged.state == "succeeded" and purged.purged_at is not None
        with pytest.raises(ApiError) as gone:
            client.download_artifact(job.id, "resume.pdf")
        assert gone.value.problem.type == "/problems/artifact-not-ready"


def test_without_a_valid_credential_the_api_answers_401(
    api_url: str, api_key: Credential,
) -> None:
    with Client(api_url, api_key=api_key.key) as client:
        assert "templates" in client.meta()
    with Client(api_url) as anonymous, pytest.raises(ApiError) as refused:
        anonymous.meta()
    assert refused.value.status == 401
    assert refused.value.problem.type == "/problems/unauthorized"
    with Client(api_url, api_key="rt_00000000_not-a-key") as wrong, \
            pytest.raises(ApiError) as unknown:
        wrong.get_job("00000000-0000-0000-0000-000000000000")
    assert unknown.value.status == 401 and "unknown or revoked" in unknown.value.problem.detail


def test_submit_a_batch_and_wait_for_its_ranking(
    api_url: str, api_key: Credential, celery_workers: Any,
) -> None:
    with Client(api_url, api_key=api_key.key) as client:
        accepted = client.submit_batch(
            resume=factories.resume(),
            postings=[{"label": "backend", "posting": factories.posting(0)},
                      factories.posting(6)],
            idempotency_key="client-batch-1")
        assert accepted.total == 2 and len(accepted.job_ids) == 2
        batch = client.wait_for_batch(accepted.id, timeout_s=300)
    assert batch.state == "completed" and batch.counts["succeeded"] == 2
    assert batch.ranking is not None and [r.rank for r in batch.ranking] == [1, 2]
    assert batch.ranking[0].label == "backend"  # the backend resume fits the backend posting
