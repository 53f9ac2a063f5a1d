"""The SSRF guard for callback URLs.

A callback URL is resolved once; every address it resolves to must be global unless the
settings allow private ones; the request then goes to the checked address (with the original
Host header and TLS server name), and redirects are never followed, so neither DNS rebinding
nor a 30x can steer the request inside the network.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit


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
