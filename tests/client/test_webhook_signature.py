"""`resume_tailor_client.verify_webhook` against the service's own signing
(workers/webhooks/signing.py) and the reference `standardwebhooks` package, both ways."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook

from resume_tailor_client import WebhookVerificationError, sign_webhook, verify_webhook
from workers.webhooks.signing import new_secret, signed_headers

BODY = json.dumps({"type": "job.succeeded", "timestamp": "2025-03-01T12:00:41+00:00",
                   "data": {"job_id": "6f1c2b0e-9d4a-4c3e-8a57-2f0d1b3c4e5f"}},
                  separators=(",", ":")).encode()


def test_accepts_what_the_service_signs() -> None:
    secret = new_secret()
    headers = signed_headers(secret, "msg_1", BODY)
    event = verify_webhook(BODY, headers, secret)
    assert event.id == "msg_1" and event.type == "job.succeeded"
    assert event.data["job_id"] == "6f1c2b0e-9d4a-4c3e-8a57-2f0d1b3c4e5f"


def test_agrees_with_the_reference_implementation_both_ways() -> None:
    secret = new_secret()
    reference = Webhook(secret)
    now = datetime.now(UTC)
    theirs = reference.sign("msg_2", now, BODY.decode())
    headers = {"webhook-id": "msg_2", "webhook-timestamp": str(int(now.timestamp())),
               "webhook-signature": theirs}
    assert verify_webhook(BODY, headers, secret).id == "msg_2"
    ours = sign_webhook(secret, "msg_2", int(now.timestamp()), BODY)
    assert ours == theirs
    assert reference.verify(BODY, {**headers, "webhook-signature": ours})["type"] == (
        "job.succeeded")


def test_one_matching_signature_of_several_is_enough() -> None:
    """While a secret rotates, the header carries a signature per secret."""
    old, current = new_secret(), new_secret()
    stamp = int(time.time())
    headers = {"webhook-id": "msg_3", "webhook-timestamp": str(stamp),
               "webhook-signature": f"{sign_webhook(old, 'msg_3', stamp, BODY)} "
                                    f"{sign_webhook(current, 'msg_3', stamp, BODY)}"}
    assert verify_webhook(BODY, headers, current).id == "msg_3"


@pytest.mark.parametrize("tamper, reason", [
    (lambda h, b: (h, b.replace(b"succeeded", b"failed")), "no signature matches"),
    (lambda h, b: ({**h, "webhook-id": "msg_other"}, b), "no signature matches"),
    (lambda h, b: ({k: v for k, v in h.items() if k != "webhook-signature"}, b),
     "missing header webhook-signature"),
    (lambda h, b: ({**h, "webhook-signature": "v2," + h["webhook-signature"][3:]}, b),
     "no signature matches"),
    (lambda h, b: ({**h, "webhook-timestamp": "soon"}, b), "not an integer"),
])
def test_refuses_a_tampered_request(tamper: object, reason: str) -> None:
    assert callable(tamper)
    secret = new_secret()
    headers, body = tamper(signed_headers(secret, "msg_4", BODY), BODY)
    with pytest.raises(WebhookVerificationError, match=reason):
        verify_webhook(body, headers, secret)


def test_refuses_another_secret_and_a_stale_timestamp() -> None:
    secret = new_secret()
    with pytest.raises(WebhookVerificationError, match="no signature matches"):
        verify_webhook(BODY, signed_headers(secret, "msg_5", BODY), new_secret())
    old = signed_headers(secret, "msg_5", BODY, now=time.time() - 600)
    with pytest.raises(WebhookVerificationError, match="tolerance 300 s"):
        verify_webhook(BODY, old, secret)
    assert verify_webhook(BODY, old, secret, tolerance_s=900).id == "msg_5"


def test_a_malformed_secret_is_named() -> None:
    with pytest.raises(ValueError, match="not base64"):
        sign_webhook("whsec_not*base64", "msg_6", 1, BODY)
    assert sign_webhook("whsec_" + base64.b64encode(b"k" * 24).decode(), "m", 1, b"").startswith(
        "v1,")
