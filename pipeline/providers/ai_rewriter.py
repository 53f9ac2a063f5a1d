"""A `Rewriter` (pipeline.rewrite) backed by the provider chain.

Each bullet is one independent request, so the bullets of a resume go out concurrently (up to
`concurrency` at a time) and a 30-bullet resume costs about one round trip. A bullet whose
providers all fail keeps its deterministic text: the job never fails because a model did.

The model sees the resume line as the only source of facts and the posting as a fenced,
untrusted block. That is the first defence against prompt injection; the second is structural
(one answer can only replace its own line, never add one); the third is the truthfulness guard
in the rewrite stage, which every answer passes and which rejects any added skill, employer,
title, date or number.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

from pydantic import BaseModel, ConfigDict, Field

from pipeline.models import Usage
from pipeline.providers.fallback import ProviderChain
from pipeline.providers.prompts import fence, load_prompt
from pipeline.providers.usage import UsageMeter
from pipeline.rewrite.rewriter import BulletRequest, SummaryFacts

POSTING_CHARS = 8_000


class BulletAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    bullet: str = Field(min_length=1, max_length=400)


class SummaryAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    summary: str = Field(min_length=1, max_length=800)


class AIRewriter:
    """One job's rewriter: build one per job (it meters that job's usage)."""

    def __init__(
        self, chain: ProviderChain, *, meter: UsageMeter | None = None, concurrency: int = 32
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.chain = chain
        self.meter = meter or UsageMeter()
        self._concurrency = concurrency
        self._lock = threading.Lock()
        self._answered: Counter[str] = Counter()

    @property
    def name(self) -> str:
        """The provider(s) whose answers this job used, in chain order ("openai", or
        "openai+anthropic" after a partial fallback); the chain's first before any answer."""
        with self._lock:
            used = [name for name in self.chain.names if self._answered[name]]
        return "+".join(used) if used else self.chain.primary

    def rewrite_bullets(self, requests: Sequence[BulletRequest]) -> list[str]:
        if not requests:
            return []
        workers = min(self._concurrency, len(requests))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rewrite") as pool:
            return list(pool.map(self._rewrite_one, requests))

    def write_summary(self, facts: SummaryFacts) -> str:
        lines = [f"- {line}" for line in facts.sources()]
        variables = {"tone": facts.tone.value, "facts": fence("facts", "\n".join(lines))}
        answered = self.chain.ask(load_prompt("write_summary"), variables, SummaryAnswer,
                                  self.meter, max_tokens=400)
        if answered is None:
            return ""  # the stage keeps its deterministic summary
        self._count(answered.provider)
        return _one_line(answered.value.summary)

    def usage(self) -> list[Usage]:
        return self.meter.usage()

    def notes(self) -> list[str]:
        """Why providers were passed over, for the job's log and status."""
        return self.meter.notes()

    def _rewrite_one(self, request: BulletRequest) -> str:
        variables = {
            "posting": fence("posting", request.posting[:POSTING_CHARS]),
            "tone": request.tone.value,
            "context": _one_line(request.context),
            "terms": ", ".join(request.terms) or "(none)",
            "line": fence("line", request.text),
        }
        answered = self.chain.ask(load_prompt("rewrite_bullet"), variables, BulletAnswer,
                                  self.meter, max_tokens=300)
        if answered is None:
            return request.text
        self._count(answered.provider)
        bullet = _one_line(answered.value.bullet)
        # The prompt asks for no trailing period; that alone is no rewording.
        return request.text if bullet.rstrip(".") == request.text.rstrip(".") else bullet

    def _count(self, provider: str) -> None:
        with self._lock:
            self._answered[provider] += 1


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
