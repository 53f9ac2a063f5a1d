"""Circuit-breaker state in Redis, so every worker process shares each provider's breaker:
when one worker sees a provider fail N times in a row, all of them skip it for the cool-down,
and exactly one of them probes it afterwards (SET NX is the shared probe lock).

Consecutive-failure counts expire `failure_window_s` after the last failure, so a trickle of
unrelated failures over days never adds up to an open breaker. If Redis itself fails, the
breaker behaves as closed: an unreachable Redis must not take the AI providers down with it.
"""

from __future__ import annotations

import logging

import redis

log = logging.getLogger(__name__)
_KEEP_S = 24 * 3600  # how long an open marker outlives its cool-down, for inspection


class RedisBreakerStore:
    def __init__(
        self, client: redis.Redis, *, prefix: str = "", failure_window_s: int = 600
    ) -> None:
        self._redis = client
        self._prefix = f"{prefix}rt:breaker:"
        self._window_s = failure_window_s

    def _key(self, key: str, part: str) -> str:
        return f"{self._prefix}{key}:{part}"

    def add_failure(self, key: str) -> int:
        name = self._key(key, "failures")
        try:
            pipe = self._redis.pipeline()
            pipe.incr(name)
            pipe.expire(name, self._window_s)
            count, _ = pipe.execute()
            return int(count)
        except redis.RedisError as exc:
            log.warning("breaker store unavailable, failure not counted: %s", exc)
            return 0

    def reset(self, key: str) -> None:
        try:
            self._redis.delete(*(self._key(key, p) for p in ("failures", "open_until", "probe")))
        except redis.RedisError as exc:
            log.warning("breaker store unavailable, reset lost: %s", exc)

    def open(self, key: str, until: float) -> None:
        try:
            pipe = self._redis.pipeline()
            pipe.set(self._key(key, "open_until"), repr(until), ex=_KEEP_S)
            pipe.delete(self._key(key, "probe"))
            pipe.execute()
        except redis.RedisError as exc:
            log.warning("breaker store unavailable, breaker not opened: %s", exc)

    def opened_until(self, key: str) -> float | None:
        try:
            return self.read_opened_until(key)
        except redis.RedisError as exc:
            log.warning("breaker store unavailable, treating breaker as closed: %s", exc)
            return None

    def read_opened_until(self, key: str) -> float | None:
        """`opened_until` that lets Redis errors through: for the metrics, which must not
        report a breaker closed when they could not read it."""
        raw = self._redis.get(self._key(key, "open_until"))
        if raw is None:
            return None
        try:
            return float(raw)
        except (TypeError, ValueError):
            return None  # a foreign value: treat as closed rather than fail every call

    def claim_probe(self, key: str, ttl_s: float) -> bool:
        try:
            claimed = self._redis.set(
                self._key(key, "probe"), "1", nx=True, px=max(1, int(ttl_s * 1000))
            )
        except redis.RedisError as exc:
            log.warning("breaker store unavailable, probing anyway: %s", exc)
            return True
        return bool(claimed)
