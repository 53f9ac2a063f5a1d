"""The retry policy against the real SDKs and a real (fake) server: what is retried, how
long each wait is, Retry-After, and what is not retried."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from pipeline.errors import ProviderError, Transient
from pipeline.providers.base import ChatRequest, parse_retry_after
from pipeline.providers.openai_provider import OpenAIChat
from pipeline.providers.prompts import load_prompt
from pipeline.providers.retry import RetryPolicy, call_with_retries
from pipeline.providers.runner import ProviderRunner
from pipeline.providers.usage import UsageMeter
from tests.fakes.llm_server import FakeLLMServer, Reply
from tests.fakes.llm_support import Echo, Sleeps

PROMPT = load_prompt("rewrite_bullet")
VARS = {"context": "c", "terms": "t", "posting": "p", "line": "l", "tone": "neutral"}


def ask(runner: ProviderRunner, meter: UsageMeter | None = None) -> Echo:
    return runner.ask(PROMPT, VARS, Echo, meter or UsageMeter()).value


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_500s_are_retried_with_growing_jittered_backoff(
    kind: str, llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner], sleeps: Sleeps
) -> None:
    llm_server.script(Reply.error(500), Reply.error(503), Reply.ok({"bullet": "done"}))
    runner = make_runner(kind, attempts=4)
    assert ask(runner).bullet == "done"
    assert llm_server.count(kind) == 3
    # initial 0.5 s doubling, plus up to 0.5 s jitter
    assert len(sleeps.waits) == 2
    assert 0.5 <= sleeps.waits[0] <= 1.0
    assert 1.0 <= sleeps.waits[1] <= 1.5


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_retry_after_is_honoured(
    kind: str, llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner], sleeps: Sleeps
) -> None:
    llm_server.script(Reply.rate_limited(retry_after=7), Reply.ok({"bullet": "ok"}))
    assert ask(make_runner(kind)).bullet == "ok"
    assert sleeps.waits == [7.0]
    assert llm_server.count() == 2


def test_too_long_retry_after_fails_at_once_so_the_chain_moves_on(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner], sleeps: Sleeps
) -> None:
    llm_server.script(Reply.rate_limited(retry_after=600))
    with pytest.raises(Transient) as info:
        ask(make_runner("openai", attempts=4))
    assert info.value.retry_after == 600
    assert sleeps.waits == []
    assert llm_server.count() == 1


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
@pytest.mark.parametrize("status", [400, 401, 404, 422])
def test_other_4xx_is_not_retried(
    kind: str, status: int, llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner],
    sleeps: Sleeps,
) -> None:
    llm_server.script(Reply.error(status), Reply.ok({"bullet": "never asked"}))
    with pytest.raises(ProviderError, match=str(status)):
        ask(make_runner(kind, attempts=4))
    assert llm_server.count() == 1
    assert sleeps.waits == []


def test_attempts_are_bounded_and_the_last_error_propagates(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner], sleeps: Sleeps
) -> None:
    llm_server.respond_with(lambda request: Reply.error(502))
    with pytest.raises(Transient, match="502"):
        ask(make_runner("anthropic", attempts=3))
    assert llm_server.count() == 3
    assert len(sleeps.waits) == 2


def test_a_hung_server_times_out_and_is_retried(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner], sleeps: Sleeps
) -> None:
    llm_server.script(Reply.hung(), Reply.ok({"bullet": "after timeout"}))
    assert ask(make_runner("openai", timeout_s=0.3)).bullet == "after timeout"
    assert llm_server.count() == 2
    assert len(sleeps.waits) == 1


def test_connection_refused_is_transient(sleeps: Sleeps) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = OpenAIChat(model="m", api_key="k", base_url=f"http://127.0.0.1:{port}/v1",
                        timeout_s=1)
    request = ChatRequest("s", "u", "Echo", Echo.model_json_schema())
    with pytest.raises(Transient, match="APIConnectionError"):
        call_with_retries(lambda: client.complete(request), RetryPolicy(max_attempts=2,
                                                                         sleep=sleeps))
    assert len(sleeps.waits) == 1


def test_the_sdks_own_retries_are_off(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner]
) -> None:
    llm_server.respond_with(lambda request: Reply.error(500))
    with pytest.raises(Transient):
        ask(make_runner("openai", attempts=1))
    assert llm_server.count() == 1  # the SDK would have made 3


def test_retry_after_forms() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_retry_after({"retry-after": "3"}) == 3.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    http_date = format_datetime(now + timedelta(seconds=12), usegmt=True)
    assert parse_retry_after({"retry-after": http_date}, now=now) == 12.0
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None
