"""Standard Webhooks signatures (standardwebhooks.com), as the service signs its events:
`webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`,
keyed with the base64 part of a `whsec_...` secret."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping

from resume_tailor_client.models import WebhookEvent

SECRET_PREFIX = "whsec_"
DEFAULT_TOLERANCE_S = 300  # how far the timestamp may be from now: refuses replays


class WebhookVerificationError(ValueError):
    """The request is not a genuine, fresh event from the service."""


def _key(secret: str) -> bytes:
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the webhook secret is not base64 after 'whsec_'") from exc
    if not key:
        raise ValueError("the webhook secret is empty")
    return key


def sign_webhook(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value for one request."""
    digest = hmac.new(_key(secret), f"{msg_id}.{timestamp}.".encode() + body,
                      hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify_webhook(
    body: bytes, headers: Mapping[str, str], secret: str, *,
    tolerance_s: float = DEFAULT_TOLERANCE_S, now: float | None = None,
) -> WebhookEvent:
    """The event, once its signature and timestamp check out; else WebhookVerificationError.
    Pass the raw body as received (before any JSON parsing) and the request's headers."""
    lowered = {name.lower(): value for name, value in headers.items()}
    try:
        msg_id = lowered["webhook-id"]
        stamp = lowered["webhook-timestamp"]
        signatures = lowered["webhook-signature"]
    except KeyError as exc:
        raise WebhookVerificationError(f"missing header {exc.args[0]}") from None
    try:
        timestamp = int(stamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not an integer") from None
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_s:
        raise WebhookVerificationError(
            f"webhook-timestamp is {int(current - timestamp)} s from now (tolerance "
            f"{tolerance_s:g} s)")
    expected = sign_webhook(secret, msg_id, timestamp, body).split(",", 1)[1]
    # Several space-separated signatures while a secret is being rotated: one must match.
    offered = [entry.split(",", 1) for entry in signatures.split()]
    if not any(len(parts) == 2 and parts[0] == "v1" and hmac.compare_digest(parts[1], expected)
               for parts in offered):
        raise WebhookVerificationError("no signature matches")
    try:
        payload = json.loads(body)
    except ValueError:
        raise WebhookVerificationError("the body is not JSON") from None
    return WebhookEvent.model_validate({**payload, "id": msg_id})
