"""Webhooks: Standard Webhooks signing, the SSRF guard, and the outbox sender.

Signing (standardwebhooks.com): `webhook-signature: v1,<base64 HMAC-SHA256("{id}.{ts}.{body}")>`
with the tenant's `whsec_<base64>` secret. The id stays the same across retries so receivers
can de-duplicate; the timestamp is the attempt's own.

SSRF: a callback URL is resolved once; every address it resolves to must be global unless
the settings allow private ones; the request then goes to the checked address (with the
original Host header and TLS server name), and redirects are never followed, so neither DNS
rebinding nor a 30x can steer the request inside the network.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from workers.app import DELIVER_TASK, SWEEP_TASK, app
from workers.db import repository
from workers.db.models import DeliveryState
from workers.db.session import session_scope
from workers.settings import Settings, get_settings

SECRET_PREFIX = "whsec_"
# A claimed row is leased for the attempt's timeout plus this, then due again.
LEASE_MARGIN_S = 30.0


# ---------------------------------------------------------------- signing


def new_secret(nbytes: int = 32) -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(nbytes)).decode()


def secret_key(secret: str) -> bytes:
    """`whsec_<base64>` → the raw HMAC key; refuses an empty or malformed secret."""
    raw = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    except ValueError as exc:
        raise ValueError("webhook secret is not base64 after 'whsec_'") from exc
    if len(key) < 16:
        raise ValueError("webhook secret is shorter than 16 bytes")
    return key


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    to_sign = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), to_sign, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(
    secret: str, msg_id: str, body: bytes, *, now: float | None = None
) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id, timestamp, body),
        "content-type": "application/json",
    }


# ---------------------------------------------------------------- SSRF guard


class UnsafeURL(ValueError):
    """The callback URL is malformed, or points somewhere we refuse to send to."""


@dataclass(frozen=True)
class Target:
    url: str  # as given
    scheme: str
    host: str  # the name, for the Host header and TLS
    port: int
    addresses: tuple[str, ...]  # every one checked; connections go only to these

    @property
    def address(self) -> str:
        return self.addresses[0]
    path: str  # path + query


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries to (mapped, 6to4, NAT64, IPv4-compatible)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _refused(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is refused, or None. An IPv6 address that carries an IPv4 one is judged
    by the IPv4 inside (`::ffff:127.0.0.1` is loopback)."""
    if isinstance(address, ipaddress.IPv6Address):
        address = _embedded_ipv4(address) or address
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"  # includes the cloud metadata address 169.254.169.254
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified:
        return "unspecified"
    if address.is_private or not address.is_global:
        return "private"
    return None


def parse_url(url: str) -> tuple[str, str, int, str]:
    """Syntax only: (scheme, host, port, path+query). Raises UnsafeURL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"not a valid URL: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL("scheme must be http or https")
    if not parts.hostname:
        raise UnsafeURL("URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("credentials in the URL are not allowed")
    if parts.fragment:
        raise UnsafeURL("URL must not have a fragment")
    path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, parts.hostname, port or default, path


def resolve_target(url: str, *, allow_private: bool) -> Target:
    """Check and resolve once; the returned addresses are the only ones connected to."""
    scheme, host, port, path = parse_url(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(f"host {host!r} does not resolve") from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise UnsafeURL(f"host {host!r} does not resolve")
    if not allow_private:
        # Every address must pass: a name answering both a public and a private address
        # would otherwise let the connection land on the private one.
        for address in addresses:
            reason = _refused(address)
            if reason:
                raise UnsafeURL(f"host {host!r} resolves to a {reason} address ({address})")
    unique = tuple(dict.fromkeys(str(address) for address in addresses))
    return Target(url, scheme, host, port, unique, path)


# ---------------------------------------------------------------- one attempt


@dataclass(frozen=True)
class Attempt:
    status_code: int | None  # None: no answer (timeout, refused connection)
    error: str | None
    duration_ms: float

    refused: bool = False  # the SSRF guard refused the URL; nothing was sent

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        """410 Gone: the receiver asks us to stop for good."""
        return self.status_code == 410


def post_signed(
    target: Target, body: bytes, headers: dict[str, str], *, timeout_s: float,
    client: httpx.Client | None = None,
) -> Attempt:
    """POST to the checked addresses in turn (the next only when one refuses the connection,
    as `localhost` answering ::1 first would), never following redirects; only 2xx counts."""
    default_port = 443 if target.scheme == "https" else 80
    host_header = target.host if target.port == default_port else f"{target.host}:{target.port}"
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    all_headers = {**headers, "host": host_header, "user-agent": "resume-tailor-webhooks/1"}
    started = time.perf_counter()
    own = client is None
    http = client or httpx.Client(follow_redirects=False)
    error = "no address"
    try:
        for address in target.addresses:
            ip = ipaddress.ip_address(address)
            netloc = f"[{ip}]" if ip.version == 6 else str(ip)
            request = http.build_request(
                "POST", f"{target.scheme}://{netloc}:{target.port}{target.path}", content=body,
                headers=all_headers, timeout=timeout_s, extensions=extensions,
            )
            try:
                # Streamed and closed unread: only the status matters, and a receiver
                # dripping out a large body must not hold the sender.
                response = http.send(request, stream=True, follow_redirects=False)
                response.close()
            except httpx.ConnectError as exc:
                error = f"ConnectError: {exc}"[:500]
                continue  # nothing was sent: the next checked address may answer
            except httpx.HTTPError as exc:
                return Attempt(None, f"{type(exc).__name__}: {exc}"[:500], _ms(started))
            status = response.status_code
            return Attempt(status, None if 200 <= status < 300 else f"HTTP {status}",
                           _ms(started))
        return Attempt(None, error, _ms(started))
    finally:
        if own:
            http.close()


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


# ---------------------------------------------------------------- the outbox sender


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
        rows = repository.claim_due_deliveries(session, limit=limit, lease_s=lease_s, ids=ids)
        return [Claimed(r.id, r.event_id, r.tenant, r.url, encode_payload(r.payload))
                for r in rows]


def attempt(
    delivery: Claimed, settings: Settings, *, client: httpx.Client | None = None
) -> Attempt:
    """Resolve (SSRF guard) and POST once, signed with the tenant's secret."""
    try:
        target = resolve_target(delivery.url, allow_private=settings.allow_private_webhooks)
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
    with session_scope() as session:
        row = repository.record_delivery_attempt(
            session, delivery_id, status=result.status_code, error=result.error,
            duration_ms=result.duration_ms, retry_schedule_s=schedule,
        )
        if row.state != DeliveryState.pending.value:
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


# ---------------------------------------------------------------- Celery tasks


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
