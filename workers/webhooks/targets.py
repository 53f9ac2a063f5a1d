"""The SSRF guard for callback URLs.

A callback URL is resolved once, within a deadline; every address it resolves to must be global
unless the settings allow private ones, and its port one the settings allow (80 and 443 by
default, so a URL cannot aim at Redis on :6379 of a public host either). The request then goes
to the checked address (with the original Host header and TLS server name), and redirects are
never followed, so neither DNS rebinding nor a 30x can steer the request inside the network.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import socket
from collections.abc import Collection
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from workers.settings import Settings

DEFAULT_PORTS = (80, 443)
DEFAULT_DNS_TIMEOUT_S = 2.0
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeURL(ValueError):
    """The callback URL is malformed, or points somewhere we refuse to send to."""


@dataclass(frozen=True)
class Target:
    url: str  # as given
    scheme: str
    host: str  # the name, for the Host header and TLS
    port: int
    addresses: tuple[str, ...]  # every one checked; connections go only to these

    path: str  # path + query

    @property
    def address(self) -> str:
        return self.addresses[0]


# IPv6 ranges that carry an IPv4 address, judged by the address they carry.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052 well-known prefix
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated, RFC 4291
# Special-purpose ranges refused whatever they carry. Python's `is_global` misses some of them
# (3.11 calls 64:ff9b:1::/48 and ::ffff:0:0:0/96 global), so they are listed here.
_REFUSED_V6 = {
    ipaddress.ip_network("64:ff9b:1::/48"): "NAT64 local-use (RFC 8215)",
    ipaddress.ip_network("2001::/32"): "Teredo",
    ipaddress.ip_network("::ffff:0:0:0/96"): "IPv4-translated (SIIT)",
    ipaddress.ip_network("100::/64"): "discard-only",
}
_REFUSED_V4 = {
    ipaddress.ip_network("192.88.99.0/24"): "6to4 relay anycast (RFC 7526)",
}


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64, IPv4-compatible)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _kind(address: IPAddress) -> str | None:
    """Why a (plain) address is not a public destination, or None."""
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"  # includes the cloud metadata address 169.254.169.254
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified:
        return "unspecified"
    special = _REFUSED_V6 if isinstance(address, ipaddress.IPv6Address) else _REFUSED_V4
    for network, name in special.items():
        if address in network:
            return f"private ({name})"
    if address.is_private or not address.is_global:
        return "private"
    return None


def _refused(address: IPAddress) -> str | None:
    """Why an address is refused, or None. An IPv6 address that carries an IPv4 one is judged
    by the IPv4 inside (`::ffff:127.0.0.1` is loopback) and then as itself."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            return _kind(inner)
    return _kind(address)


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


# Lookups run in threads of their own, never in the API's route pool: a lookup that outlives
# its deadline keeps a resolver thread until the system resolver gives up, not a route thread.
_resolver: tuple[int, ThreadPoolExecutor] | None = None


def _resolver_pool() -> ThreadPoolExecutor:
    global _resolver
    if _resolver is None or _resolver[0] != os.getpid():  # a forked child makes its own
        _resolver = (os.getpid(), ThreadPoolExecutor(8, thread_name_prefix="webhook-dns"))
    return _resolver[1]


def _lookup(host: str, port: int) -> Future[list[Any]]:
    return _resolver_pool().submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)


def _checked_port(host: str, port: int, allowed_ports: Collection[int]) -> None:
    if port not in allowed_ports:
        shown = ", ".join(str(p) for p in sorted(allowed_ports)[:10])
        raise UnsafeURL(f"port {port} is not allowed for callbacks (allowed: {shown})")


def _target(url: str, parts: tuple[str, str, int, str], infos: list[Any],
            allow_private: bool) -> Target:
    scheme, host, port, path = parts
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


def resolve_target(
    url: str, *, allow_private: bool, allowed_ports: Collection[int] = DEFAULT_PORTS,
    timeout_s: float = DEFAULT_DNS_TIMEOUT_S,
) -> Target:
    """Check and resolve once (within `timeout_s`); the returned addresses are the only ones
    connected to."""
    parts = parse_url(url)
    _, host, port, _ = parts
    _checked_port(host, port, allowed_ports)
    try:
        infos = _lookup(host, port).result(timeout=timeout_s)
    except FutureTimeout:
        raise UnsafeURL(f"host {host!r} did not resolve within {timeout_s}s") from None
    except (OSError, UnicodeError) as exc:  # socket.gaierror is an OSError
        raise UnsafeURL(f"host {host!r} does not resolve") from exc
    return _target(url, parts, infos, allow_private)


async def resolve_target_async(
    url: str, *, allow_private: bool, allowed_ports: Collection[int] = DEFAULT_PORTS,
    timeout_s: float = DEFAULT_DNS_TIMEOUT_S,
) -> Target:
    """`resolve_target` for the event loop: awaits the lookup thread instead of blocking."""
    parts = parse_url(url)
    _, host, port, _ = parts
    _checked_port(host, port, allowed_ports)
    try:
        infos = await asyncio.wait_for(asyncio.wrap_future(_lookup(host, port)), timeout_s)
    except TimeoutError:
        raise UnsafeURL(f"host {host!r} did not resolve within {timeout_s}s") from None
    except (OSError, UnicodeError) as exc:
        raise UnsafeURL(f"host {host!r} does not resolve") from exc
    return _target(url, parts, infos, allow_private)


def guard_options(settings: Settings) -> dict[str, Any]:
    """The guard's keyword arguments as the settings give them."""
    return {"allow_private": settings.allow_private_webhooks,
            "allowed_ports": frozenset(settings.webhook_allowed_ports),
            "timeout_s": settings.webhook_dns_timeout_s}
