"""The fallback chain and its configuration: order, skipping, ending in local."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from pipeline.errors import InvalidInput
from pipeline.providers import build_chain
from pipeline.providers.config import ProviderConfig, parse_chain
from pipeline.providers.fallback import ProviderChain
from pipeline.providers.prompts import load_prompt
from pipeline.providers.retry import RetryPolicy
from pipeline.providers.runner import ProviderRunner
from pipeline.providers.usage import UsageMeter
from tests.fakes.llm_server import FakeLLMServer, Reply
from tests.fakes.llm_support import Echo, Sleeps

PROMPT = load_prompt("rewrite_bullet")
VARS = {"context": "c", "terms": "t", "posting": "p", "line": "l", "tone": "neutral"}


def test_falls_back_in_order_and_notes_why(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner]
) -> None:
    def by_api(request):  # type: ignore[no-untyped-def]
        if request.api == "openai":
            return Reply.error(500)
        return Reply.ok({"bullet": "from anthropic"})

    llm_server.respond_with(by_api)
    chain = ProviderChain([make_runner("openai", attempts=2), make_runner("anthropic")])
    meter = UsageMeter()
    answered = chain.ask(PROMPT, VARS, Echo, meter)
    assert answered is not None
    assert (answered.provider, answered.value.bullet) == ("anthropic", "from anthropic")
    assert [r.api for r in llm_server.requests] == ["openai", "openai", "anthropic"]
    assert chain.names == ["openai", "anthropic", "local"]
    assert meter.notes() == ["rewrite_bullet@v1: openai: HTTP 500"]


def test_every_provider_failing_means_local(
    llm_server: FakeLLMServer, make_runner: Callable[..., ProviderRunner]
) -> None:
    llm_server.respond_with(lambda request: Reply.error(400))
    chain = ProviderChain([make_runner("openai"), make_runner("anthropic")])
    assert chain.ask(PROMPT, VARS, Echo, UsageMeter()) is None
    assert llm_server.count() == 2


def test_chain_order_from_settings() -> None:
    config = ProviderConfig(
        provider="openai", chain=("anthropic", "openai", "local"),
        openai_api_key="k", anthropic_base_url="http://127.0.0.1:9",
    )
    assert config.order() == ["openai", "anthropic", "local"]
    assert config.order("anthropic") == ["anthropic", "openai", "local"]
    assert config.order("local") == ["local"]
    # an unconfigured fallback is left out; local is always last
    assert ProviderConfig(chain=("anthropic", "openai"), openai_api_key="k").order(
        "openai") == ["openai", "local"]


def test_an_unconfigured_requested_provider_is_the_users_error() -> None:
    with pytest.raises(InvalidInput, match="ANTHROPIC_API_KEY") as info:
        ProviderConfig().order("anthropic")
    assert info.value.field == "provider"
    with pytest.raises(InvalidInput, match="unknown provider") as info:
        ProviderConfig().order("gemini")
    assert info.value.field == "provider"


def test_a_chain_as_written_is_checked_name_by_name() -> None:
    assert parse_chain("openai, Anthropic ,local", "chain") == ("openai", "anthropic", "local")
    assert parse_chain(None, "chain") == parse_chain(" , ", "chain") == ()
    with pytest.raises(InvalidInput) as info:
        parse_chain("openai,bard", "RT_PROVIDER_CHAIN")
    assert info.value.field == "RT_PROVIDER_CHAIN"


def test_build_chain_talks_to_the_configured_servers(
    llm_server: FakeLLMServer, sleeps: Sleeps
) -> None:
    llm_server.respond_with(
        lambda request: Reply.error(503) if request.api == "anthropic"
        else Reply.ok({"bullet": f"via {request.body['model']}"})
    )
    config = ProviderConfig(
        anthropic_base_url=llm_server.anthropic_base_url, anthropic_api_key="a",
        openai_base_url=llm_server.openai_base_url, openai_model="qwen2.5:7b",
        provider="anthropic", chain=("openai", "local"),
    )
    chain = build_chain(config, retry=RetryPolicy(max_attempts=2, sleep=sleeps))
    assert chain.names == ["anthropic", "openai", "local"]
    answered = chain.ask(PROMPT, VARS, Echo, UsageMeter())
    assert answered is not None
    assert (answered.provider, answered.model, answered.value.bullet) == (
        "openai", "qwen2.5:7b", "via qwen2.5:7b")
    assert [r.api for r in llm_server.requests] == ["anthropic", "anthropic", "openai"]
