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
from typing import TYPE_CHECKING, TypeVar

from pipeline.errors import Transient

if TYPE_CHECKING:
    from tenacity import RetryCallState

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


def call_with_retries(
    fn: Callable[[], T], policy: RetryPolicy, *, give_up: Callable[[], bool] | None = None
) -> T:
    """Run `fn`, retrying transient failures; the last failure propagates unchanged.

    `give_up` is asked before each retry (the runner passes "is the breaker open?", so
    threads stop hammering a provider the moment their failures open its breaker).
    """
    # tenacity is imported on the first call: with it come asyncio and (when installed) tornado,
    # a noticeable share of the command line's start-up, paid now only by runs calling a model
    from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, stop_after_delay
    from tenacity.stop import stop_base
    from tenacity.wait import wait_base

    class WaitRetryAfterOrBackoff(wait_base):
        """initial × 2^(n-1), capped, plus uniform jitter; or the server's Retry-After."""

        def __call__(self, retry_state: RetryCallState) -> float:
            asked = _retry_after(retry_state)
            if asked is not None:
                return asked
            exponent = min(retry_state.attempt_number - 1, 30)
            backoff = min(policy.max_backoff_s, policy.initial_backoff_s * 2**exponent)
            return backoff + random.uniform(0, policy.jitter_s)

    class StopOnLongRetryAfter(stop_base):
        def __call__(self, retry_state: RetryCallState) -> bool:
            asked = _retry_after(retry_state)
            return asked is not None and asked > policy.max_retry_after_s

    class StopWhen(stop_base):
        def __call__(self, retry_state: RetryCallState) -> bool:
            return give_up is not None and give_up()

    stop = (
        stop_after_attempt(policy.max_attempts)
        | stop_after_delay(policy.deadline_s)
        | StopOnLongRetryAfter()
    )
    if give_up is not None:
        stop = stop | StopWhen()
    retrying = Retrying(
        retry=retry_if_exception_type(Transient),
        stop=stop,
        wait=WaitRetryAfterOrBackoff(),
        sleep=policy.sleep,
        before_sleep=_log_wait,
        reraise=True,
    )
    return retrying(fn)


def _retry_after(state: RetryCallState) -> float | None:
    outcome = state.outcome
    if outcome is None or not outcome.failed:
        return None
    exc = outcome.exception()
    return exc.retry_after if isinstance(exc, Transient) else None


def _log_wait(state: RetryCallState) -> None:
    wait = state.next_action.sleep if state.next_action else 0.0
    exc = state.outcome.exception() if state.outcome else None
    log.info("provider call failed (%s), retry %d in %.2fs", exc, state.attempt_number, wait)
