"""Rate limits shared by every API replica: requests per client IP, and units of work per
credential (a request counts one, a batch its items), each a fixed window counted in Redis by
one Lua script (INCRBY, the window's expiry set by the first hit, the time left read back).

Over a limit: 429 with `Retry-After` and `RateLimit-Limit/Remaining/Reset`; every other answer
carries the same `RateLimit-*` headers for the tighter of the two limits.

Redis unreachable: requests pass (fail open) and a warning is logged at most once a minute.
The limits protect capacity, not data (authentication does), and the broker usually lives in
the same Redis, so an outage there already stops new work; refusing reads too would only widen
it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import redis
import redis.asyncio
from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiProblem, problem_response
from workers.settings import Settings

if TYPE_CHECKING:
    from api.auth import Principal

log = logging.getLogger(__name__)

# KEYS[1]: the bucket; ARGV[1]: cost, ARGV[2]: window in ms → {count, ms left}.
_SCRIPT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  left = tonumber(ARGV[2])
end
return {count, left}
"""
# Probes and scrapes come often from inside the platform; they are not the clients limited.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# Only the API and its documents count: the web page's static files at `/` are cheap, and
# counting them would spend a person's minute on loading the page.
LIMITED_PREFIXES = ("/v1", "/docs", "/redoc", "/openapi.json")
# ... but not the docs pages' scripts and styles (api.docs_ui), for the same reason.
UNLIMITED_PREFIXES = ("/docs-assets/",)


@dataclass(frozen=True)
class Verdict:
    limit: int
    remaining: int
    reset_s: int  # until the window ends

    @property
    def allowed(self) -> bool:
        return self.remaining >= 0

    def headers(self) -> dict[str, str]:
        headers = {"RateLimit-Limit": str(self.limit),
                   "RateLimit-Remaining": str(max(self.remaining, 0)),
                   "RateLimit-Reset": str(self.reset_s)}
        if not self.allowed:
            headers["Retry-After"] = str(self.reset_s)
        return headers


class RateLimiter:
    """One per app (made in its lifespan: the async client belongs to that event loop)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = redis.asyncio.Redis.from_url(
            settings.redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.script = self.client.register_script(_SCRIPT)
        self._warned_at = 0.0

    async def hit(self, bucket: str, limit: int, cost: int = 1) -> Verdict | None:
        """Count `cost` against `bucket`; None when Redis cannot answer (fail open)."""
        window_ms = self.settings.api_rate_limit_window_s * 1000
        key = f"{self.settings.key_prefix}rt:ratelimit:{bucket}"
        try:
            count, left_ms = await self.script(keys=[key], args=[cost, window_ms])
        except (redis.RedisError, OSError) as exc:
            if time.monotonic() - self._warned_at > 60:
                self._warned_at = time.monotonic()
                log.warning("rate limits not enforced: Redis unavailable (%s)",
                            type(exc).__name__)
            return None
        return Verdict(limit, limit - int(count), max(1, -(-int(left_ms) // 1000)))

    async def close(self) -> None:
        await self.client.aclose()


def _limiter(request_or_scope: Request | Scope) -> RateLimiter | None:
    app = (request_or_scope.app if isinstance(request_or_scope, Request)
           else request_or_scope.get("app"))
    return getattr(getattr(app, "state", None), "rate_limiter", None)


def too_many(verdict: Verdict, what: str) -> ApiProblem:
    return ApiProblem(429, "Too many requests",
                      f"{what}: more than {verdict.limit} in "
                      f"{verdict.reset_s}s left of this window; retry after it",
                      slug="rate-limited", headers=verdict.headers())


def _remember(scope_state: dict[str, object], verdict: Verdict) -> None:
    """Keep the tighter verdict for the response's headers."""
    current = scope_state.get("rate_limit")
    if not isinstance(current, Verdict) or verdict.remaining < current.remaining:
        scope_state["rate_limit"] = verdict


async def charge_credential(
    request: Request, principal: Principal, settings: Settings, cost: int = 1
) -> None:
    """Count work against the credential's limit; 429 when over. A cost above the limit counts
    as the whole limit, so a large batch waits for a fresh window rather than never fitting."""
    limiter = _limiter(request)
    if limiter is None:
        return
    limit = settings.api_rate_limit_per_key
    verdict = await limiter.hit(f"credential:{principal.credential}", limit, min(cost, limit))
    if verdict is None:
        return
    _remember(request.scope.setdefault("state", {}), verdict)
    if not verdict.allowed:
        raise too_many(verdict, f"requests for credential {principal.credential}")


class ClientRateLimit:
    """Pure ASGI: counts every request per client IP before anything else reads it, and puts
    the `RateLimit-*` headers on every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limiter = _limiter(scope)
        if (scope["type"] != "http" or limiter is None or scope["path"] in EXEMPT_PATHS
                or not scope["path"].startswith(LIMITED_PREFIXES)
                or scope["path"].startswith(UNLIMITED_PREFIXES)):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        limit = limiter.settings.api_rate_limit_per_ip
        verdict = await limiter.hit(f"ip:{client}", limit)
        state = scope.setdefault("state", {})
        if verdict is not None:
            _remember(state, verdict)
            if not verdict.allowed:
                problem = too_many(verdict, f"requests from {client}")
                response = problem_response(
                    429, problem.title, problem.detail, slug=problem.slug,
                    instance=scope["path"], headers=problem.headers)
                await response(scope, receive, send)
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                verdict_now = state.get("rate_limit")
                if isinstance(verdict_now, Verdict):
                    names = {name.lower().encode() for name in verdict_now.headers()}
                    headers = [(k, v) for k, v in message.get("headers", [])
                               if k.lower() not in names]
                    headers += [(k.lower().encode(), v.encode())
                                for k, v in verdict_now.headers().items()]
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
