"""The model-answer cache in Redis, shared by every worker (see pipeline.providers.cache for
what a key holds). A cache is an optimisation: if Redis fails, the call goes to the model."""

from __future__ import annotations

import logging

import redis

log = logging.getLogger(__name__)


class RedisAnswerStore:
    def __init__(self, client: redis.Redis, *, prefix: str = "") -> None:
        self._redis = client
        self._prefix = f"{prefix}rt:llm:"

    def get(self, key: str) -> str | None:
        try:
            raw = self._redis.get(self._prefix + key)
        except redis.RedisError as exc:
            log.warning("answer cache unavailable: %s", exc)
            return None
        if raw is None:
            return None
        return raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)

    def set(self, key: str, value: str, ttl_s: int) -> None:
        try:
            self._redis.set(self._prefix + key, value.encode("utf-8"), ex=max(1, ttl_s))
        except redis.RedisError as exc:
            log.warning("answer cache unavailable, answer not stored: %s", exc)
