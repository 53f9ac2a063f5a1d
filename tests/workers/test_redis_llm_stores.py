"""The Redis-backed breaker store and answer cache against the machine's Redis, shared by
two "workers" (two clients), under a random key prefix that is cleaned up."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from pipeline.providers.breaker import BreakerState, CircuitBreaker
from pipeline.providers.openai_provider import OpenAIChat
from pipeline.providers.prompts import load_prompt
from pipeline.providers.retry import RetryPolicy
from pipeline.providers.runner import ProviderRunner
from pipeline.providers.usage import UsageMeter
from tests.fakes.llm_server import FakeLLMServer, Reply
from tests.fakes.llm_support import Echo, FakeClock
from workers.breaker_store import RedisBreakerStore
from workers.llm_cache import RedisAnswerStore


def _client() -> redis.Redis:
    return redis.Redis(host="127.0.0.1", port=6379, socket_timeout=2)


@pytest.fixture
def prefix() -> Iterator[str]:
    value = f"test-{uuid.uuid4().hex[:12]}:"
    yield value
    client = _client()
    keys = list(client.scan_iter(match=f"{value}*"))
    if keys:
        client.delete(*keys)


def test_workers_share_one_breaker(prefix: str) -> None:
    clock = FakeClock()
    worker_a = CircuitBreaker("openai", RedisBreakerStore(_client(), prefix=prefix),
                              threshold=3, cooldown_s=20, clock=clock)
    worker_b = CircuitBreaker("openai", RedisBreakerStore(_client(), prefix=prefix),
                              threshold=3, cooldown_s=20, clock=clock)
    worker_a.record_failure()
    worker_b.record_failure()
    assert worker_a.state() is BreakerState.closed
    worker_a.record_failure()  # the third consecutive failure, across workers
    assert worker_b.state() is BreakerState.open and not worker_b.allow()
    clock.advance(21)
    assert [worker_a.allow(), worker_b.allow()] == [True, False]  # one probe between them
    worker_a.record_success()
    assert worker_b.state() is BreakerState.closed and worker_b.allow()


def test_a_failed_probe_reopens_and_failure_counts_expire(prefix: str) -> None:
    clock = FakeClock()
    store = RedisBreakerStore(_client(), prefix=prefix, failure_window_s=60)
    breaker = CircuitBreaker("anthropic", store, threshold=2, cooldown_s=5, clock=clock)
    breaker.record_failure()
    breaker.record_failure()
    clock.advance(6)
    assert breaker.allow()
    breaker.record_failure()
    assert breaker.state() is BreakerState.open
    ttl = _client().ttl(f"{prefix}rt:breaker:anthropic:failures")
    assert 0 < ttl <= 60


def test_an_unreachable_redis_leaves_the_breaker_closed() -> None:
    dead = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2,
                       retry=Retry(NoBackoff(), 0))
    breaker = CircuitBreaker("openai", RedisBreakerStore(dead), threshold=1)
    breaker.record_failure()
    assert breaker.allow()


def test_answer_cache_roundtrip_with_expiry(prefix: str) -> None:
    store = RedisAnswerStore(_client(), prefix=prefix)
    assert store.get("k") is None
    store.set("k", '{"bullet": "é"}', ttl_s=120)
    assert RedisAnswerStore(_client(), prefix=prefix).get("k") == '{"bullet": "é"}'
    assert 0 < _client().ttl(f"{prefix}rt:llm:k") <= 120


def test_a_second_worker_gets_the_answer_from_redis_without_a_request(prefix: str) -> None:
    prompt = load_prompt("rewrite_bullet")
    variables = {"context": "c", "terms": "t", "posting": "p", "line": "l", "tone": "neutral"}
    with FakeLLMServer() as server:
        server.respond_with(lambda request: Reply.ok({"bullet": "cached"}))

        def worker() -> ProviderRunner:
            client = OpenAIChat(model="gpt-4o-mini", api_key="k",
                                base_url=server.openai_base_url, timeout_s=5)
            store = RedisBreakerStore(_client(), prefix=prefix)
            return ProviderRunner(client, breaker=CircuitBreaker("openai", store),
                                  retry=RetryPolicy(max_attempts=1),
                                  cache=RedisAnswerStore(_client(), prefix=prefix))

        first = worker().ask(prompt, variables, Echo, UsageMeter())
        second = worker().ask(prompt, variables, Echo, UsageMeter())
    assert (first.cached, second.cached, second.value.bullet) == (False, True, "cached")
    assert server.count() == 1
