"""The one retry policy for every provider call (the SDKs' own retries are switched off).

Retries `Transient` failures only (429, 5xx, timeouts, connection errors), within an attempt
count and a deadline, with exponential backoff and jitter; a `Retry-After` from the server
replaces the backoff for that wait. A server that asks for a longer wait than
`max_retry_after_s` is not waited for: the call fails at once so the fallback chain can move on
instead of holding a worker. Other errors (4xx, bad answers) are not retried here.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    stop_after_delay,
)
from tenacity.stop import stop_base
from tenacity.wait import wait_base

from pipeline.errors import Transient

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4  # the first try included
    initial_backoff_s: float = 0.5
    max_backoff_s: float = 8.0
    jitter_s: float = 0.5
    max_retry_after_s: float = 30.0
    deadline_s: float = 60.0  # no new attempt after this long: a job has a time limit
    # Injected so tests observe the waits without sleeping, and workers could yield instead.
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)


def _retry_after(state: RetryCallState) -> float | None:
    outcome = state.outcome
    if outcome is None or not outcome.failed:
        return None
    exc = outcome.exception()
    return exc.retry_after if isinstance(exc, Transient) else None


class _WaitRetryAfterOrBackoff(wait_base):
    """initial × 2^(n-1), capped, plus uniform jitter; or the server's Retry-After."""

    def __init__(self, policy: RetryPolicy) -> None:
        self._policy = policy

    def __call__(self, retry_state: RetryCallState) -> float:
        asked = _retry_after(retry_state)
        if asked is not None:
            return asked
        policy = self._policy
        exponent = min(retry_state.attempt_number - 1, 30)
        backoff = min(policy.max_backoff_s, policy.initial_backoff_s * 2**exponent)
        return backoff + random.uniform(0, policy.jitter_s)


class _StopOnLongRetryAfter(stop_base):
    def __init__(self, limit_s: float) -> None:
        self._limit_s = limit_s

    def __call__(self, retry_state: RetryCallState) -> bool:
        asked = _retry_after(retry_state)
        return asked is not None and asked > self._limit_s


def _log_wait(state: RetryCallState) -> None:
    wait = state.next_action.sleep if state.next_action else 0.0
    exc = state.outcome.exception() if state.outcome else None
    log.info("provider call failed (%s), retry %d in %.2fs", exc, state.attempt_number, wait)


class _StopWhen(stop_base):
    def __init__(self, give_up: Callable[[], bool]) -> None:
        self._give_up = give_up

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self._give_up()


def call_with_retries(
    fn: Callable[[], T], policy: RetryPolicy, *, give_up: Callable[[], bool] | None = None
) -> T:
    """Run `fn`, retrying transient failures; the last failure propagates unchanged.

    `give_up` is asked before each retry (the runner passes "is the breaker open?", so
    threads stop hammering a provider the moment their failures open its breaker).
    """
    stop = (
        stop_after_attempt(policy.max_attempts)
        | stop_after_delay(policy.deadline_s)
        | _StopOnLongRetryAfter(policy.max_retry_after_s)
    )
    if give_up is not None:
        stop = stop | _StopWhen(give_up)
    retrying = Retrying(
        retry=retry_if_exception_type(Transient),
        stop=stop,
        wait=_WaitRetryAfterOrBackoff(policy),
        sleep=policy.sleep,
        before_sleep=_log_wait,
        reraise=True,
    )
    return retrying(fn)
