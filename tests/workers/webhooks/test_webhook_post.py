"""Single signed attempts against a real loopback receiver."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import pytest
from standardwebhooks import Webhook

from tests.webhook_receiver import Receiver
from workers.webhooks import post, signing, targets
from workers.webhooks.targets import resolve_target

ANY_PORT = range(1, 65536)  # the receivers listen on whatever port is free


def test_post_signed_reaches_the_checked_address_with_the_original_host(
    receiver: Receiver,
) -> None:
    secret = signing.new_secret()
    body = b'{"ok":true}'
    target = resolve_target(receiver.url("/hook?src=test"), allow_private=True,
                            allowed_ports=ANY_PORT)
    attempt = post.post_signed(
        target, body, signing.signed_headers(secret, "msg_1", body), timeout_s=5
    )
    assert attempt.ok and attempt.status_code == 204
    [received] = receiver.on("/hook?src=test")  # the query kept
    assert received.body == body
    assert received.headers["host"] == f"localhost:{target.port}"
    assert Webhook(secret).verify(received.body, received.headers) == {"ok": True}


def test_redirects_are_not_followed(receiver: Receiver) -> None:
    receiver.redirect_to = "http://169.254.169.254/latest/meta-data"
    target = resolve_target(receiver.url("/hook", 307), allow_private=True,
                            allowed_ports=ANY_PORT)
    attempt = post.post_signed(target, b"{}", {}, timeout_s=5)
    assert not attempt.ok and attempt.status_code == 307
    assert len(receiver.received) == 1


def test_410_means_gone_and_500_is_not_ok(receiver: Receiver) -> None:
    target = resolve_target(receiver.url("/hook", 500, 410), allow_private=True,
                            allowed_ports=ANY_PORT)
    first = post.post_signed(target, b"{}", {}, timeout_s=5)
    second = post.post_signed(target, b"{}", {}, timeout_s=5)
    assert (first.ok, first.gone, first.error) == (False, False, "HTTP 500")
    assert second.gone


def test_a_slow_receiver_times_out_as_a_failed_attempt(receiver: Receiver) -> None:
    receiver.stall = threading.Event()
    target = resolve_target(receiver.url("/hook"), allow_private=True,
                            allowed_ports=ANY_PORT)
    attempt = post.post_signed(target, b"{}", {}, timeout_s=0.3)
    receiver.stall.set()
    assert not attempt.ok and attempt.status_code is None
    assert attempt.error and "Timeout" in attempt.error


def test_a_receiver_dripping_its_body_does_not_hold_the_sender(receiver: Receiver) -> None:
    receiver.drip = threading.Event()
    target = resolve_target(receiver.url("/hook"), allow_private=True,
                            allowed_ports=ANY_PORT)
    started = time.monotonic()
    attempt = post.post_signed(target, b"{}", {}, timeout_s=3)
    receiver.drip.set()
    assert attempt.ok and time.monotonic() - started < 2  # status read, body never awaited


def test_next_checked_address_is_tried_when_one_refuses(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = int(receiver.base_url.rsplit(":", 1)[1])

    real_getaddrinfo = socket.getaddrinfo

    def both_families(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        # Like a `localhost` that answers ::1 first while the server listens on IPv4 only.
        if host != "hooks.test":
            return real_getaddrinfo(host, port, *args, **kwargs)
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(targets.socket, "getaddrinfo", both_families)
    target = resolve_target(f"http://hooks.test:{port}/x", allow_private=True,
                            allowed_ports=ANY_PORT)
    assert target.addresses == ("::1", "127.0.0.1")
    attempt = post.post_signed(target, b"{}", {}, timeout_s=5)
    assert attempt.ok and len(receiver.received) == 1
    assert receiver.received[0].headers["host"] == f"hooks.test:{port}"


def test_connection_refused_is_an_error_not_an_exception() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    target = resolve_target(f"http://127.0.0.1:{port}/", allow_private=True, allowed_ports=ANY_PORT)
    attempt = post.post_signed(target, b"{}", {}, timeout_s=2)
    assert attempt.status_code is None and attempt.error and "Connect" in attempt.error
