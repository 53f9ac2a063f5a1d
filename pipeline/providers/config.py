"""Provider settings as plain values. The pipeline never reads the environment: the service
builds this from its settings (`workers.settings.Settings.provider_config`, which names the
environment variables), the CLI from its options.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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


def parse_chain(text: str | None, field: str) -> tuple[str, ...]:
    """A fallback order as written ("openai, anthropic,local"), each name checked."""
    return tuple(check_provider(part, field) for part in (text or "").split(",") if part.strip())
