"""AI providers: OpenAI (and any OpenAI-compatible server), Anthropic, and the offline `local`.

    config = ProviderConfig(...)   # built at the edge: the CLI's options, the service's settings
    chain = build_chain(config, requested="openai", breaker_store=..., answer_cache=...)

Layers, each its own module: adapters over the official SDKs (`openai_provider`,
`anthropic_provider`) → `runner` (cache, circuit breaker, retries, validation, one repair) →
`fallback` (the chain, ending in local) → the stages (`ai_rewriter`, `ai_analysis`).
"""

from __future__ import annotations

from pipeline.providers.base import ChatClient
from pipeline.providers.breaker import BreakerStore, CircuitBreaker, MemoryBreakerStore
from pipeline.providers.cache import AnswerStore, MemoryAnswerStore
from pipeline.providers.config import ProviderConfig
from pipeline.providers.fallback import LOCAL, ProviderChain
from pipeline.providers.retry import RetryPolicy
from pipeline.providers.runner import ProviderRunner

__all__ = [
    "ProviderChain",
    "ProviderConfig",
    "build_chain",
    "make_client",
]


def make_client(name: str, config: ProviderConfig) -> ChatClient:
    # The SDKs take over a second to import: only a run that calls a model pays for them.
    if name == "openai":
        from pipeline.providers.openai_provider import OpenAIChat


        return OpenAIChat(
            model=config.openai_model,
            api_key=config.openai_api_key,
            base_url=config.openai_base_url,
            timeout_s=config.timeout_s,
            json_mode=config.openai_json_mode,
        )
    if name == "anthropic":
        from pipeline.providers.anthropic_provider import AnthropicChat

        return AnthropicChat(
            model=config.anthropic_model,
            api_key=config.anthropic_api_key,
            base_url=config.anthropic_base_url,
            timeout_s=config.timeout_s,
        )
    raise ValueError(f"no AI client for provider {name!r}")


def build_chain(
    config: ProviderConfig,
    *,
    requested: str | None = None,
    breaker_store: BreakerStore | None = None,
    answer_cache: AnswerStore | None = None,
    retry: RetryPolicy | None = None,
) -> ProviderChain:
    """The job's chain: `requested` (or the configured default) first, then the configured
    fallbacks, ending in local. Stores default to in-process memory (fine for one CLI run);
    workers pass the Redis ones so every process shares breaker state and answers."""
    store = breaker_store or MemoryBreakerStore()
    policy = retry or RetryPolicy(max_attempts=config.max_attempts)
    cache = answer_cache if answer_cache is not None else MemoryAnswerStore()
    runners = [
        ProviderRunner(
            make_client(name, config),
            breaker=CircuitBreaker(
                name, store, threshold=config.breaker_threshold,
                cooldown_s=config.breaker_cooldown_s,
            ),
            retry=policy,
            cache=cache,
            cache_ttl_s=config.cache_ttl_s,
        )
        for name in config.order(requested)
        if name != LOCAL
    ]
    return ProviderChain(runners)
