"""The fallback chain: try each AI provider in order; when every one fails or is skipped,
the caller does the stage's deterministic `local` work. `local` always ends the chain, so a
job never fails because a model did.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TypeVar

from pydantic import BaseModel

from pipeline.errors import ProviderError, Transient
from pipeline.providers.prompts import Prompt
from pipeline.providers.runner import Answered, ProviderRunner
from pipeline.providers.usage import UsageMeter

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)
LOCAL = "local"


class ProviderChain:
    def __init__(self, runners: Sequence[ProviderRunner]) -> None:
        names = [runner.name for runner in runners]
        if LOCAL in names or len(set(names)) != len(names):
            raise ValueError(f"bad provider chain {names}: AI providers, each once, no 'local'")
        self.runners = list(runners)

    @property
    def names(self) -> list[str]:
        """The chain as configured, `local` last: ["openai", "anthropic", "local"]."""
        return [*(runner.name for runner in self.runners), LOCAL]

    @property
    def primary(self) -> str:
        return self.names[0]

    def ask(
        self,
        prompt: Prompt,
        variables: dict[str, str],
        output: type[M],
        meter: UsageMeter,
        *,
        max_tokens: int = 512,
    ) -> Answered[M] | None:
        """The first provider's valid answer, or None: the caller falls back to local."""
        for runner in self.runners:
            try:
                return runner.ask(prompt, variables, output, meter, max_tokens=max_tokens)
            except (Transient, ProviderError) as exc:
                log.warning("%s: %s failed, trying the next provider: %s", prompt.id,
                            runner.name, exc)
                meter.note(f"{prompt.id}: {exc}")
        return None
