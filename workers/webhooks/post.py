"""One signed POST to a checked target (`targets.resolve_target`): only to the addresses the
guard checked, never following redirects."""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass

import httpx

from workers.webhooks.targets import Target


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
