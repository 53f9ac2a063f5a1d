"""A cover letter worded by an AI provider (the chain from pipeline.providers).

The model gets the candidate's facts, the employer's name and role, the posting as a fenced,
untrusted block and the local draft; it answers with the body paragraphs. Whatever it writes
passes the letter guard sentence by sentence in `pipeline.letter.write`.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from pipeline.letter.facts import LetterFacts
from pipeline.models import Usage
from pipeline.providers.fallback import ProviderChain
from pipeline.providers.prompts import fence, load_prompt
from pipeline.providers.usage import UsageMeter

POSTING_CHARS = 8_000


class LetterAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    paragraphs: list[str] = Field(min_length=1, max_length=6)


class AILetterWriter:
    """One letter's writer: build one per job (it meters that job's usage)."""

    def __init__(self, chain: ProviderChain, *, meter: UsageMeter | None = None) -> None:
        self.chain = chain
        self.meter = meter or UsageMeter()
        self.answered_by: str | None = None

    @property
    def name(self) -> str:
        return self.answered_by or self.chain.primary

    def write(self, facts: LetterFacts, draft: list[list[str]], posting: str) -> list[str]:
        """The model's paragraphs, or [] when every provider failed (the caller keeps the
        local draft)."""
        employer = [f"- company: {facts.company or '(not named)'}",
                    f"- role: {facts.role or '(not named)'}"]
        variables = {
            "tone": facts.tone.value,
            "employer": fence("employer", "\n".join(employer)),
            "candidate": fence("candidate", "\n".join(f"- {line}"
                                                      for line in facts.resume_lines())),
            "posting": fence("posting", posting[:POSTING_CHARS]),
            "draft": fence("draft", "\n\n".join(" ".join(p) for p in draft)),
        }
        answered = self.chain.ask(load_prompt("write_letter"), variables, LetterAnswer,
                                  self.meter, max_tokens=900)
        if answered is None:
            return []
        self.answered_by = answered.provider
        return [re.sub(r"\s+", " ", p).strip() for p in answered.value.paragraphs if p.strip()]

    def usage(self) -> list[Usage]:
        return self.meter.usage()


def letter_writer(chain: ProviderChain | None) -> AILetterWriter | None:
    """The AI writer for a job's provider chain, or None for the local letter."""
    return AILetterWriter(chain) if chain is not None else None
