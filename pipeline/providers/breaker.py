"""A circuit breaker per provider, its state in a store shared by every process that calls
the provider (Redis in the service, memory in the CLI and tests).

closed ─N consecutive failures→ open ─cool-down passes→ half-open ─probe ok→ closed
                                  ▲                         │
                                  └──────probe fails────────┘
While open the provider is skipped (the fallback chain moves on). Half-open lets exactly one
caller through as a probe (the store's `claim_probe` is the shared lock); the claim expires
after a cool-down so a probe whose worker died does not wedge the breaker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Protocol


class BreakerStore(Protocol):
    """Shared breaker state. Times are epoch seconds, comparable across machines."""

    def add_failure(self, key: str) -> int:
        """Count one more consecutive failure; return the count."""
        ...

    def reset(self, key: str) -> None:
        """A success: forget the failures and close."""
        ...

    def open(self, key: str, until: float) -> None:
        """Open until `until`; any probe claim is released."""
        ...

    def opened_until(self, key: str) -> float | None: ...

    def claim_probe(self, key: str, ttl_s: float) -> bool:
        """True for exactly one caller until the claim expires or the key is reset/opened."""
        ...


class BreakerState(StrEnum):
    closed = "closed"
    open = "open"
    half_open = "half_open"


class CircuitBreaker:
    def __init__(
        self,
        name: str,
        store: BreakerStore,
        *,
        threshold: int = 5,
        cooldown_s: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if threshold < 1:
            raise ValueError("threshold must be at least 1")
        self.name = name
        self._store = store
        self._threshold = threshold
        self._cooldown_s = cooldown_s
        self._clock = clock

    def state(self) -> BreakerState:
        until = self._store.opened_until(self.name)
        if until is None:
            return BreakerState.closed
        return BreakerState.open if self._clock() < until else BreakerState.half_open

    def allow(self) -> bool:
        """May a call go to this provider now? Claims the probe when half-open."""
        state = self.state()
        if state is BreakerState.closed:
            return True
        if state is BreakerState.open:
            return False
        return self._store.claim_probe(self.name, self._cooldown_s)

    def record_success(self) -> None:
        self._store.reset(self.name)

    def record_failure(self) -> None:
        # The count is not cleared on opening, so a failed half-open probe re-opens at once.
        if self._store.add_failure(self.name) >= self._threshold:
            self._store.open(self.name, self._clock() + self._cooldown_s)


class MemoryBreakerStore:
    """In-process state: the CLI and tests. Thread-safe; the clock is the breaker's."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._open_until: dict[str, float] = {}
        self._probe_until: dict[str, float] = {}

    def add_failure(self, key: str) -> int:
        with self._lock:
            self._failures[key] = self._failures.get(key, 0) + 1
            return self._failures[key]

    def reset(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
            self._open_until.pop(key, None)
            self._probe_until.pop(key, None)

    def open(self, key: str, until: float) -> None:
        with self._lock:
            self._open_until[key] = until
            self._probe_until.pop(key, None)

    def opened_until(self, key: str) -> float | None:
        with self._lock:
            return self._open_until.get(key)

    def claim_probe(self, key: str, ttl_s: float) -> bool:
        with self._lock:
            now = self._clock()
            if self._probe_until.get(key, 0.0) > now:
                return False
            self._probe_until[key] = now + ttl_s
            return True
