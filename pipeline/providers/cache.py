"""A cache of validated model answers, keyed by provider, model, prompt version and a hash
of the exact request, so a re-run of the same posting and resume costs no tokens, and a new
prompt version or model never serves a stale answer. Only answers that passed validation are
stored. Memory store here; the Redis store shared by workers is workers/llm_cache.py.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

DEFAULT_TTL_S = 7 * 24 * 3600


class AnswerStore(Protocol):
    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str, ttl_s: int) -> None: ...


def cache_key(provider: str, model: str, prompt_version: str, request_text: str) -> str:
    digest = hashlib.sha256(request_text.encode("utf-8")).hexdigest()
    return f"{provider}:{model}:{prompt_version}:{digest}"


class MemoryAnswerStore:
    """Bounded LRU with expiry, for the CLI and tests."""

    def __init__(self, max_entries: int = 4096, clock: Callable[[], float] = time.monotonic):
        self._max = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            expires, value = item
            if expires <= self._clock():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return value

    def set(self, key: str, value: str, ttl_s: int) -> None:
        with self._lock:
            self._items[key] = (self._clock() + ttl_s, value)
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
