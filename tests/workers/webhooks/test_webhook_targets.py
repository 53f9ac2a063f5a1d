"""The SSRF guard: what a callback URL may resolve to."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
import time

import pytest

from workers.webhooks import targets
from workers.webhooks.targets import UnsafeURL, resolve_target


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/hook", "loopback"),
        ("http://localhost/hook", "loopback"),
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
        # Special-purpose IPv6 that Python's is_global lets through, and relays.
        ("http://[64:ff9b:1::a00:1]/", "NAT64 local-use"),  # RFC 8215
        ("http://[64:ff9b:1::808:808]/", "NAT64 local-use"),  # whatever it carries
        ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "Teredo"),
        ("http://[::ffff:0:808:808]/", "IPv4-translated"),
        ("http://[100::1]/", "private"),  # discard-only
        ("http://192.88.99.1/", "6to4 relay"),
        ("http://[64:ff9b::7f00:1]/", "loopback"),  # NAT64 well-known carrying 127.0.0.1
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
    target = resolve_target("http://localhost:9/x", allow_private=True, allowed_ports={9})
    assert ipaddress.ip_address(target.address).is_loopback
    assert target.host == "localhost"


def test_a_name_with_any_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # DNS answering both a public and a private address: the connection could land on either.
    def fake_getaddrinfo(host: str, port: int, **_: object) -> list[tuple[object, ...]]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(targets.socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(UnsafeURL, match="private"):
        resolve_target("https://hooks.example.com/", allow_private=False)


@pytest.mark.parametrize("url", ["http://8.8.8.8:6379/", "https://8.8.8.8:8443/x",
                                 "http://example.com:22/"])
def test_only_the_allowed_ports(url: str) -> None:
    with pytest.raises(UnsafeURL, match="port .* is not allowed"):
        resolve_target(url, allow_private=False)
    with pytest.raises(UnsafeURL, match="port"):  # allowing private addresses changes nothing
        resolve_target(url, allow_private=True)


def test_allowed_ports_come_from_the_settings() -> None:
    from workers.settings import Settings

    settings = Settings(webhook_allowed_ports=[443, 8443])
    options = targets.guard_options(settings)
    assert resolve_target("https://8.8.8.8:8443/x", **options).port == 8443
    with pytest.raises(UnsafeURL, match="port 80"):
        resolve_target("http://8.8.8.8/x", **options)


def test_a_public_mapped_or_nat64_address_passes() -> None:
    # Carrying a global IPv4 address, these translations are as public as it is.
    for url in ("http://[::ffff:8.8.8.8]/", "http://[64:ff9b::808:808]/"):
        assert resolve_target(url, allow_private=False).port == 80


def test_a_slow_resolver_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    def stalled(host: str, port: int, **_: object) -> list[tuple[object, ...]]:
        release.wait(5)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]

    monkeypatch.setattr(targets.socket, "getaddrinfo", stalled)
    started = time.monotonic()
    try:
        with pytest.raises(UnsafeURL, match="did not resolve within 0.2s"):
            resolve_target("https://slow.example.com/", allow_private=False, timeout_s=0.2)
        with pytest.raises(UnsafeURL, match="did not resolve within 0.2s"):
            asyncio.run(targets.resolve_target_async(
                "https://slow.example.com/", allow_private=False, timeout_s=0.2))
    finally:
        release.set()
    assert time.monotonic() - started < 2
