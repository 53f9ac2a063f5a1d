"""The circuit breaker: opens after N consecutive failures, skips the provider while open
(no request reaches the server), probes once after the cool-down, closes on success."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.errors import Transient
from pipeline.providers.breaker import BreakerState, CircuitBreaker, MemoryBreakerStore
from pipeline.providers.prompts import load_prompt
from pipeline.providers.runner import ProviderRunner, ProviderUnavailable
from pipeline.providers.usage import UsageMeter
from tests.fakes.llm_server import FakeLLMServer, Reply
from tests.fakes.llm_support import Echo, FakeClock

PROMPT = load_prompt("rewrite_bullet")
VARS = {"context": "c", "terms": "t", "posting": "p", "line": "l", "tone": "neutral"}


def ask(runner: ProviderRunner, line: str = "l") -> str:
    return runner.ask(PROMPT, {**VARS, "line": line}, Echo, UsageMeter()).value.bullet


def test_opens_after_threshold_failures_and_skips_without_a_request(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner], clock: FakeClock
) -> None:
    llm_server.respond_with(lambda request: Reply.error(500))
    runner = make_runner("openai", attempts=1, threshold=3, cooldown_s=30)
    for _ in range(3):
        with pytest.raises(Transient):
            ask(runner)
    assert runner.breaker.state() is BreakerState.open
    before = llm_server.count()
    with pytest.raises(ProviderUnavailable):
        ask(runner)
    assert llm_server.count() == before  # skipped: no HTTP request


def test_half_open_after_cooldown_then_closes_on_a_good_probe(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner], clock: FakeClock
) -> None:
    llm_server.script(Reply.error(500), Reply.error(500))
    runner = make_runner("anthropic", attempts=1, threshold=2, cooldown_s=30)
    for _ in range(2):
        with pytest.raises(Transient):
            ask(runner)
    clock.advance(29)
    assert runner.breaker.state() is BreakerState.open
    clock.advance(2)
    assert runner.breaker.state() is BreakerState.half_open
    llm_server.respond_with(lambda request: Reply.ok({"bullet": "back"}))
    assert ask(runner) == "back"
    assert runner.breaker.state() is BreakerState.closed


def test_a_failed_probe_reopens_for_another_cooldown(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner], clock: FakeClock
) -> None:
    llm_server.respond_with(lambda request: Reply.error(503))
    runner = make_runner("openai", attempts=1, threshold=2, cooldown_s=10)
    for _ in range(2):
        with pytest.raises(Transient):
            ask(runner)
    clock.advance(11)
    with pytest.raises(Transient, match="503"):
        ask(runner)  # the probe reaches the server and fails
    assert runner.breaker.state() is BreakerState.open
    assert llm_server.count() == 3


def test_successes_reset_the_consecutive_count(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner]
) -> None:
    llm_server.script(Reply.error(500), Reply.error(500), Reply.ok({"bullet": "ok"}),
                      Reply.error(500), Reply.error(500))
    runner = make_runner("openai", attempts=1, threshold=3)
    outcomes = []
    for _ in range(5):
        try:
            outcomes.append(ask(runner))
        except Transient:
            outcomes.append("fail")
    assert outcomes == ["fail", "fail", "ok", "fail", "fail"]
    assert runner.breaker.state() is BreakerState.closed


def test_bad_answers_do_not_trip_the_breaker(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner]
) -> None:
    llm_server.respond_with(lambda request: Reply.raw("no json here"))
    runner = make_runner("openai", threshold=1)
    for _ in range(2):
        with pytest.raises(Exception, match="no JSON object"):
            ask(runner)
    assert runner.breaker.state() is BreakerState.closed


def test_only_one_caller_probes_a_half_open_breaker(clock: FakeClock) -> None:
    store = MemoryBreakerStore(clock)
    breaker = CircuitBreaker("openai", store, threshold=1, cooldown_s=5, clock=clock)
    breaker.record_failure()
    assert not breaker.allow()
    clock.advance(6)
    assert [breaker.allow() for _ in range(3)] == [True, False, False]
    clock.advance(6)  # the prober vanished: its claim expires
    assert breaker.allow()


def test_retries_stop_once_the_breaker_opens(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner]
) -> None:
    llm_server.respond_with(lambda request: Reply.error(500))
    runner = make_runner("openai", attempts=6, threshold=2)
    with pytest.raises(Transient):
        ask(runner)
    assert llm_server.count() == 2  # not 6: each attempt counts, and the open breaker stops
    assert runner.breaker.state() is BreakerState.open
