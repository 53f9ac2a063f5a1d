"""Standard Webhooks signing, checked against the reference library."""

from __future__ import annotations

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from workers.webhooks import signing


def test_signature_verifies_with_the_reference_library() -> None:
    secret = signing.new_secret()
    body = b'{"type":"job.succeeded","data":{"job_id":"x"}}'
    headers = signing.signed_headers(secret, "msg_abc", body)
    assert Webhook(secret).verify(body, headers) == {"type": "job.succeeded",
                                                      "data": {"job_id": "x"}}


def test_signature_fails_for_a_changed_body_or_another_secret() -> None:
    secret = signing.new_secret()
    body = b'{"a":1}'
    headers = signing.signed_headers(secret, "msg_abc", body)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(b'{"a":2}', headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(body, headers)


def test_known_vector() -> None:
    # HMAC-SHA256 over "msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}" with the
    # Standard Webhooks spec's example secret.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    signature = signing.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


@pytest.mark.parametrize("bad", ["whsec_", "whsec_!!notbase64!!", "whsec_c2hvcnQ="])
def test_bad_secrets_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        signing.secret_key(bad)
