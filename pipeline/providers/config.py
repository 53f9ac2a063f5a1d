"""Provider settings, read from an environment mapping the caller passes in (the CLI and the
workers pass the process environment; the pipeline itself never reads the environment).

The SDKs' own variables carry credentials and endpoints, so any OpenAI-compatible server
(vLLM, Ollama, llama.cpp, LM Studio) works by setting OPENAI_BASE_URL:
    OPENAI_API_KEY, OPENAI_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL
The rest use the service's `RT_` prefix:
    RT_PROVIDER              default provider per job: local | openai | anthropic (local)
    RT_PROVIDER_CHAIN        fallback order, e.g. "openai,anthropic,local" (local always last)
    RT_OPENAI_MODEL, RT_ANTHROPIC_MODEL
    RT_OPENAI_JSON_MODE      schema | object | none (servers without JSON schema support)
    RT_LLM_TIMEOUT_S, RT_LLM_MAX_ATTEMPTS, RT_LLM_CONCURRENCY, RT_LLM_CACHE_TTL_S
    RT_LLM_BREAKER_THRESHOLD, RT_LLM_BREAKER_COOLDOWN_S
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast

from pipeline.errors import InvalidInput

# How an OpenAI-compatible server is asked for JSON (servers that refuse one get the next).
JsonMode = Literal["schema", "object", "none"]
PROVIDERS = ("local", "openai", "anthropic")


@dataclass(frozen=True)
class ProviderConfig:
    provider: str = "local"
    chain: tuple[str, ...] = ()  # empty: the requested provider, then local
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    openai_model: str = "gpt-4.1-mini"
    openai_json_mode: JsonMode = "schema"
    anthropic_api_key: str | None = None
    anthropic_base_url: str | None = None
    anthropic_model: str = "claude-haiku-4-5"
    timeout_s: float = 30.0
    max_attempts: int = 4
    concurrency: int = 32  # bullets in flight per job: 30 bullets ≈ one round trip
    cache_ttl_s: int = 7 * 24 * 3600
    breaker_threshold: int = 5
    breaker_cooldown_s: float = 60.0

    def configured(self, name: str) -> bool:
        """Can this provider be called? A base URL alone will do (local servers need no key)."""
        if name == "openai":
            return bool(self.openai_api_key or self.openai_base_url)
        if name == "anthropic":
            return bool(self.anthropic_api_key or self.anthropic_base_url)
        return name == "local"

    def order(self, requested: str | None = None) -> list[str]:
        """The providers to try for a job, `local` last; unconfigured fallbacks left out.

        An explicitly requested provider that is not configured is the user's error.
        """
        first = check_provider(requested or self.provider, "provider")
        if first != "local" and not self.configured(first):
            variable = "OPENAI" if first == "openai" else "ANTHROPIC"
            raise InvalidInput(
                f"{first!r} is not configured: set {variable}_API_KEY (or {variable}_BASE_URL)",
                field="provider",
            )
        order = [first]
        for name in self.chain:
            if name not in order and self.configured(name):
                order.append(name)
        if "local" in order:
            return order[: order.index("local") + 1]
        return [*order, "local"]


def check_provider(name: str, field: str) -> str:
    cleaned = name.strip().lower()
    if cleaned not in PROVIDERS:
        raise InvalidInput(f"unknown provider {name!r} (expected one of {', '.join(PROVIDERS)})",
                           field=field)
    return cleaned


def config_from_env(env: Mapping[str, str]) -> ProviderConfig:
    """Settings from an environment mapping; bad values are named by their variable."""
    def text(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    def number(name: str, default: float, minimum: float) -> float:
        raw = text(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise InvalidInput(f"not a number: {raw!r}", field=name) from None
        if value < minimum:
            raise InvalidInput(f"must be at least {minimum:g}", field=name)
        return value

    defaults = ProviderConfig()
    chain = tuple(
        check_provider(part, "RT_PROVIDER_CHAIN")
        for part in (text("RT_PROVIDER_CHAIN") or "").split(",")
        if part.strip()
    )
    json_mode = text("RT_OPENAI_JSON_MODE") or defaults.openai_json_mode
    if json_mode not in ("schema", "object", "none"):
        raise InvalidInput("expected schema, object or none", field="RT_OPENAI_JSON_MODE")
    return ProviderConfig(
        provider=check_provider(text("RT_PROVIDER") or defaults.provider, "RT_PROVIDER"),
        chain=chain,
        openai_api_key=text("OPENAI_API_KEY"),
        openai_base_url=text("OPENAI_BASE_URL"),
        openai_model=text("RT_OPENAI_MODEL") or defaults.openai_model,
        openai_json_mode=cast(JsonMode, json_mode),
        anthropic_api_key=text("ANTHROPIC_API_KEY"),
        anthropic_base_url=text("ANTHROPIC_BASE_URL"),
        anthropic_model=text("RT_ANTHROPIC_MODEL") or defaults.anthropic_model,
        timeout_s=number("RT_LLM_TIMEOUT_S", defaults.timeout_s, 0.1),
        max_attempts=int(number("RT_LLM_MAX_ATTEMPTS", defaults.max_attempts, 1)),
        concurrency=int(number("RT_LLM_CONCURRENCY", defaults.concurrency, 1)),
        cache_ttl_s=int(number("RT_LLM_CACHE_TTL_S", defaults.cache_ttl_s, 1)),
        breaker_threshold=int(number("RT_LLM_BREAKER_THRESHOLD", defaults.breaker_threshold, 1)),
        breaker_cooldown_s=number("RT_LLM_BREAKER_COOLDOWN_S", defaults.breaker_cooldown_s, 0),
    )
