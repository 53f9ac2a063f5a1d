"""What a document is expected to hold, for the ATS checks: its name, its kind, and the
strings that must read back in order (the candidate's name, the headings, a letter's
salutation and close)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# The section names ATSs map to their fields; anything else ("My Journey") is guessed at or
# lost. The resume templates use only these (pipeline.compile.content), in this spelling.
STANDARD_HEADINGS = frozenset({
    "summary", "professional summary", "experience", "work experience",
    "professional experience", "projects", "education", "skills", "technical skills",
    "certifications", "awards", "publications", "volunteer experience", "languages",
    "interests",
})


@dataclass(frozen=True)
class Expectations:
    document: str  # the file name the report is about: "resume.pdf"
    kind: Literal["resume", "letter"]
    name: str  # the candidate's name: the first thing an ATS must find
    headings: tuple[str, ...] = ()  # a resume's section headings, in order
    in_order: tuple[str, ...] = field(default=())  # further strings, in reading order

    def ordered(self) -> list[str]:
        """Every string that must read back, in the order it stands on the page."""
        return [s for s in (self.name, *self.headings, *self.in_order) if s]
