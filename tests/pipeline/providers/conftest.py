"""Fixtures for the provider tests: the fake LLM server, observable sleeps and clocks, and
factories for runners over the real SDK clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from pipeline.providers.anthropic_provider import AnthropicChat
from pipeline.providers.base import ChatClient
from pipeline.providers.breaker import CircuitBreaker, MemoryBreakerStore
from pipeline.providers.cache import AnswerStore
from pipeline.providers.openai_provider import OpenAIChat
from pipeline.providers.retry import RetryPolicy
from pipeline.providers.runner import ProviderRunner
from tests.fakes.llm_server import FakeLLMServer
from tests.fakes.llm_support import FakeClock, Sleeps


@pytest.fixture
def llm_server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as server:
        yield server


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


ClientFactory = Callable[..., ChatClient]


@pytest.fixture
def make_client(llm_server: FakeLLMServer) -> ClientFactory:
    def make(kind: str = "openai", *, timeout_s: float = 5.0, **options: object) -> ChatClient:
        if kind == "openai":
            return OpenAIChat(model="gpt-4o-mini", api_key="test-key",
                              base_url=llm_server.openai_base_url, timeout_s=timeout_s,
                              **options)  # type: ignore[arg-type]
        return AnthropicChat(model="claude-haiku-4-5", api_key="test-key",
                             base_url=llm_server.anthropic_base_url, timeout_s=timeout_s,
                             **options)  # type: ignore[arg-type]
    return make


RunnerFactory = Callable[..., ProviderRunner]


@pytest.fixture
def make_runner(
    make_client: ClientFactory, sleeps: Sleeps, clock: FakeClock
) -> RunnerFactory:
    store = MemoryBreakerStore(clock)

    def make(
        kind: str = "openai",
        *,
        attempts: int = 3,
        threshold: int = 3,
        cooldown_s: float = 30.0,
        cache: AnswerStore | None = None,
        timeout_s: float = 5.0,
        **options: object,
    ) -> ProviderRunner:
        return ProviderRunner(
            make_client(kind, timeout_s=timeout_s, **options),
            breaker=CircuitBreaker(kind, store, threshold=threshold, cooldown_s=cooldown_s,
                                   clock=clock),
            retry=RetryPolicy(max_attempts=attempts, sleep=sleeps),
            cache=cache,
        )
    return make
