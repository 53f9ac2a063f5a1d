"""The whole tailoring in-process: parse → score → rewrite → compile → score again.

Each stage is its package's entry function (pipeline.parse.parse_posting, ...), so the Celery
tasks call them one at a time; `run_tailor` chains them for the CLI and times each one.
pipeline.documents.outputs turns a result into its files, leaving the writing (and its
atomicity) to the caller.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pipeline.jsonresume import Resume
from pipeline.models import (
    CompiledResume,
    InputNotes,
    JobAnalysis,
    MatchReport,
    TailoredResume,
    TailorReport,
    Usage,
)
from pipeline.parse import parse_posting
from pipeline.report import build_report
from pipeline.rewrite import rewrite_resume
from pipeline.rewrite.rewriter import Rewriter
from pipeline.score import score_match
from pipeline.unrendered import unrendered_fields

STAGES = ("parse", "score", "rewrite", "compile", "rescore")
StageCallback = Callable[[str], None]
# An AI provider's additions to the deterministic analysis, and the tokens they cost.
Enricher = Callable[[JobAnalysis], tuple[JobAnalysis, list[Usage]]]


@dataclass(frozen=True)
class TailorResult:
    analysis: JobAnalysis
    before: MatchReport
    tailored: TailoredResume
    compiled: CompiledResume
    after: MatchReport
    parse_usage: list[Usage]  # what a model's additions to the analysis cost
    report: TailorReport


# ---------------------------------------------------------------- between the stages


def parse_back_keywords(tailored: TailoredResume, analysis: JobAnalysis,
                        *, today: date | None = None) -> list[str]:
    """The matched skills as the tailored resume words them: what the PDF must still hold."""
    report = score_match(tailored.resume, analysis, today=today)
    keywords: list[str] = []
    for skill in report.matched:
        surfaced = [e for e in skill.evidence if e.surfaced]
        if skill.resume_forms and surfaced:
            keywords.append(skill.resume_forms[0])
    return list(dict.fromkeys(keywords))


# ---------------------------------------------------------------- all of them


class _Clock:
    def __init__(self, on_stage: StageCallback | None) -> None:
        self.on_stage = on_stage
        self.timings: dict[str, float] = {}
        self._stage: str | None = None
        self._start = 0.0

    def start(self, stage: str) -> None:
        self.stop()
        if self.on_stage is not None:
            self.on_stage(stage)
        self._stage, self._start = stage, time.perf_counter()

    def stop(self) -> None:
        if self._stage is not None:
            elapsed = (time.perf_counter() - self._start) * 1000
            self.timings[self._stage] = round(self.timings.get(self._stage, 0.0) + elapsed, 2)
            self._stage = None


def run_tailor(
    resume: Resume,
    posting_text: str,
    *,
    template: str = "classic",
    rewriter: Rewriter | None = None,
    on_stage: StageCallback | None = None,
    today: date | None = None,
    timeout_s: float = 20.0,
    enrich: Enricher | None = None,
    input_notes: InputNotes | None = None,
) -> TailorResult:
    """Every stage in order, each timed; `on_stage(name)` is called as each one starts.
    `enrich`, when given, lets an AI provider add to the deterministic analysis.
    `input_notes` come from reading the resume (pipeline.inputs.read_resume); without them the
    report still lists the fields no template shows."""
    # Imported here: the compile stage loads Jinja2 and pypdf, which the CLI's display of
    # a match (importing TailorResult from this module) does not need.
    from pipeline.compile import compile_resume

    clock = _Clock(on_stage)
    total = time.perf_counter()
    clock.start("parse")
    analysis = parse_posting(posting_text)
    parse_usage: list[Usage] = []
    if enrich is not None:
        analysis, parse_usage = enrich(analysis)
    clock.start("score")
    before = score_match(resume, analysis, today=today)
    clock.start("rewrite")
    tailored = rewrite_resume(resume, analysis, before, rewriter=rewriter, today=today)
    clock.start("compile")
    keywords = parse_back_keywords(tailored, analysis, today=today)
    compiled = compile_resume(tailored, template=template, keywords=keywords,
                              timeout_s=timeout_s)
    clock.start("rescore")
    after = score_match(compiled.resume or tailored.resume, analysis, today=today)
    clock.stop()
    clock.timings["total"] = round((time.perf_counter() - total) * 1000, 2)
    if input_notes is None:
        input_notes = InputNotes(not_rendered=unrendered_fields(resume))
    report = build_report(analysis=analysis, before=before, tailored=tailored,
                          compiled=compiled, after=after, timings_ms=clock.timings,
                          parse_usage=parse_usage, input_notes=input_notes)
    return TailorResult(analysis, before, tailored, compiled, after, parse_usage, report)
