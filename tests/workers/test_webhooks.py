"""Webhook signing, the SSRF guard and single attempts, against a real loopback receiver."""

from __future__ import annotations

import ipaddress
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from workers import webhooks
from workers.db import repository
from workers.db.models import WebhookDelivery
from workers.db.session import session_scope
from workers.settings import get_settings
from workers.webhooks import UnsafeURL, resolve_target

# ---------------------------------------------------------------- signing


def test_signature_verifies_with_the_reference_library() -> None:
    secret = webhooks.new_secret()
    body = b'{"type":"job.succeeded","data":{"job_id":"x"}}'
    headers = webhooks.signed_headers(secret, "msg_abc", body)
    assert Webhook(secret).verify(body, headers) == {"type": "job.succeeded",
                                                      "data": {"job_id": "x"}}


def test_signature_fails_for_a_changed_body_or_another_secret() -> None:
    secret = webhooks.new_secret()
    body = b'{"a":1}'
    headers = webhooks.signed_headers(secret, "msg_abc", body)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(b'{"a":2}', headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(webhooks.new_secret()).verify(body, headers)


def test_known_vector() -> None:
    # HMAC-SHA256 over "msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}" with the
    # Standard Webhooks spec's example secret.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    signature = webhooks.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


@pytest.mark.parametrize("bad", ["whsec_", "whsec_!!notbase64!!", "whsec_c2hvcnQ="])
def test_bad_secrets_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        webhooks.secret_key(bad)


# ---------------------------------------------------------------- SSRF guard


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/hook", "loopback"),
        ("http://localhost:8000/hook", "loopback"),
        ("http://[::1]/hook", "loopback"),
        ("http://[::ffff:127.0.0.1]/hook", "loopback"),  # IPv4-mapped IPv6
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 carrying 127.0.0.1
        ("http://[64:ff9b::a9fe:a9fe]/", "link-local"),  # NAT64 carrying 169.254.169.254
        ("http://[::127.0.0.1]/", "loopback"),  # IPv4-compatible (deprecated) form
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://10.0.0.5/", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://172.16.0.1/", "private"),
        ("http://100.64.0.1/", "private"),  # carrier-grade NAT, not global
        ("http://[fd00::1]/", "private"),
        ("http://[fe80::1]/", "link-local"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
    ],
)
def test_non_global_addresses_are_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURL, match=reason):
        resolve_target(url, allow_private=False)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/x", "scheme"),
        ("file:///etc/passwd", "scheme"),
        ("https://", "no host"),
        ("https://user:pw@example.com/", "credentials"),
        ("https://example.com:99999/", "valid URL"),
        ("https://example.com/#frag", "fragment"),
        ("http://no-such-host.invalid/", "does not resolve"),
    ],
)
def test_malformed_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(UnsafeURL, match=message):
        resolve_target(url, allow_private=True)


def test_public_address_passes_and_is_the_one_connected_to() -> None:
    target = resolve_target("https://8.8.8.8/hooks/in?x=1", allow_private=False)
    assert (target.address, target.port, target.path) == ("8.8.8.8", 443, "/hooks/in?x=1")


def test_private_allowed_by_setting() -> None:
    target = resolve_target("http://localhost:9/x", allow_private=True)
    assert ipaddress.ip_address(target.address).is_loopback
    assert target.host == "localhost"


def test_a_name_with_any_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # DNS answering both a public and a private address: the connection could land on either.
    def fake_getaddrinfo(host: str, port: int, **_: object) -> list[tuple[object, ...]]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(webhooks.socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(UnsafeURL, match="private"):
        resolve_target("https://hooks.example.com/", allow_private=False)


# ---------------------------------------------------------------- one attempt, for real


@dataclass
class Receiver:
    url: str
    statuses: list[int]  # answers, in order; the last repeats
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    redirect_to: str | None = None
    stall: threading.Event | None = None  # set: the handler waits for it before answering
    drip: threading.Event | None = None  # set: headers promise a body that never comes


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="", statuses=[204])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            state.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            if state.stall is not None:
                state.stall.wait(10)
            index = min(len(state.requests), len(state.statuses)) - 1
            status = state.statuses[index]
            self.send_response(status)
            if state.redirect_to:
                self.send_header("location", state.redirect_to)
            self.send_header("content-length", "100000" if state.drip else "0")
            self.end_headers()
            if state.drip is not None:
                self.wfile.write(b"x")
                self.wfile.flush()
                state.drip.wait(10)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://localhost:{server.server_address[1]}/hook?src=test"
    try:
        yield state
    finally:
        for event in (state.stall, state.drip):
            if event is not None:
                event.set()
        server.shutdown()
        server.server_close()


def test_post_signed_reaches_the_checked_address_with_the_original_host(
    receiver: Receiver,
) -> None:
    secret = webhooks.new_secret()
    body = b'{"ok":true}'
    target = resolve_target(receiver.url, allow_private=True)
    attempt = webhooks.post_signed(
        target, body, webhooks.signed_headers(secret, "msg_1", body), timeout_s=5
    )
    assert attempt.ok and attempt.status_code == 204
    headers, received = receiver.requests[0]
    assert received == body
    assert headers["host"] == f"localhost:{target.port}"
    assert Webhook(secret).verify(received, headers) == {"ok": True}


def test_redirects_are_not_followed(receiver: Receiver) -> None:
    receiver.statuses = [307]
    receiver.redirect_to = "http://169.254.169.254/latest/meta-data"
    target = resolve_target(receiver.url, allow_private=True)
    attempt = webhooks.post_signed(target, b"{}", {}, timeout_s=5)
    assert not attempt.ok and attempt.status_code == 307
    assert len(receiver.requests) == 1


def test_410_means_gone_and_500_is_not_ok(receiver: Receiver) -> None:
    receiver.statuses = [500, 410]
    target = resolve_target(receiver.url, allow_private=True)
    first = webhooks.post_signed(target, b"{}", {}, timeout_s=5)
    second = webhooks.post_signed(target, b"{}", {}, timeout_s=5)
    assert (first.ok, first.gone, first.error) == (False, False, "HTTP 500")
    assert second.gone


def test_a_slow_receiver_times_out_as_a_failed_attempt(receiver: Receiver) -> None:
    receiver.stall = threading.Event()
    target = resolve_target(receiver.url, allow_private=True)
    attempt = webhooks.post_signed(target, b"{}", {}, timeout_s=0.3)
    receiver.stall.set()
    assert not attempt.ok and attempt.status_code is None
    assert attempt.error and "Timeout" in attempt.error


def test_a_receiver_dripping_its_body_does_not_hold_the_sender(receiver: Receiver) -> None:
    receiver.drip = threading.Event()
    target = resolve_target(receiver.url, allow_private=True)
    started = time.monotonic()
    attempt = webhooks.post_signed(target, b"{}", {}, timeout_s=3)
    receiver.drip.set()
    assert attempt.ok and time.monotonic() - started < 2  # status read, body never awaited


def test_next_checked_address_is_tried_when_one_refuses(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = int(receiver.url.split(":")[2].split("/")[0])

    real_getaddrinfo = socket.getaddrinfo

    def both_families(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        # Like a `localhost` that answers ::1 first while the server listens on IPv4 only.
        if host != "hooks.test":
            return real_getaddrinfo(host, port, *args, **kwargs)
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(webhooks.socket, "getaddrinfo", both_families)
    target = resolve_target(f"http://hooks.test:{port}/x", allow_private=True)
    assert target.addresses == ("::1", "127.0.0.1")
    attempt = webhooks.post_signed(target, b"{}", {}, timeout_s=5)
    assert attempt.ok and len(receiver.requests) == 1
    assert receiver.requests[0][0]["host"] == f"hooks.test:{port}"


def test_connection_refused_is_an_error_not_an_exception() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = resolve_target(f"http://127.0.0.1:{port}/", allow_private=True)
    attempt = webhooks.post_signed(target, b"{}", {}, timeout_s=2)
    assert attempt.status_code is None and attempt.error and "Connect" in attempt.error


# ---------------------------------------------------------------- the outbox sender (Postgres)


def _outbox_row(url: str) -> uuid.UUID:
    with session_scope() as session:
        return repository.add_delivery(
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
    receiver.statuses = [503]
    settings = get_settings().model_copy(update={"webhook_retry_schedule_s": [0, 0, 0]})
    delivery_id = _outbox_row(receiver.url)
    delays = []
    for _ in range(3):
        [(_, result, delay)] = webhooks.send_due(settings, ids=[delivery_id])
        assert result.status_code == 503
        delays.append(delay)
    assert delays == [0.0, 0.0, None]  # schedule exhausted after the third attempt
    assert webhooks.send_due(settings, ids=[delivery_id]) == []  # final: nothing more to send
    row = _row(delivery_id)
    assert (row.state, row.attempts, row.last_status) == ("failed", 3, 503)
    assert [entry["status"] for entry in row.log] == [503, 503, 503]
    assert len(receiver.requests) == 3


@pytest.mark.service
def test_a_leased_row_is_not_sent_twice(service_env: dict[str, str], receiver: Receiver) -> None:
    settings = get_settings()
    delivery_id = _outbox_row(receiver.url)
    claimed = webhooks.claim(settings, ids=[delivery_id])
    assert [c.id for c in claimed] == [delivery_id]
    # A duplicate message (or the sweep) arriving during the attempt finds the row leased.
    assert webhooks.send_due(settings, ids=[delivery_id]) == []
    result = webhooks.attempt(claimed[0], settings)
    assert webhooks.record(delivery_id, result, settings) is None
    assert _row(delivery_id).state == "succeeded" and len(receiver.requests) == 1


@pytest.mark.service
def test_private_url_refused_at_send_time_without_retries(
    service_env: dict[str, str], receiver: Receiver
) -> None:
    # The URL passed the submit check under other settings (or its DNS changed since).
    settings = get_settings().model_copy(update={"allow_private_webhooks": False})
    delivery_id = _outbox_row(receiver.url)
    [(_, result, delay)] = webhooks.send_due(settings, ids=[delivery_id])
    assert result.refused and delay is None
    row = _row(delivery_id)
    assert row.state == "failed" and row.attempts == 1 and "loopback" in (row.last_error or "")
    assert receiver.requests == []


@pytest.mark.service
def test_sweep_sends_rows_no_message_carries(
    service_env: dict[str, str], receiver: Receiver
) -> None:
    delivery_ids = [_outbox_row(receiver.url) for _ in range(3)]  # never handed to the queue
    sent = webhooks.sweep.run(batch=4)  # the task's body, in-process
    assert sent >= 3
    assert {_row(i).state for i in delivery_ids} == {"succeeded"}
    received_ids = {json.loads(body)["data"]["job_id"] for _, body in receiver.requests}
    assert len(receiver.requests) == len(received_ids) == 3  # each row once
