"""A job's report as far as its stages have gone, for a person reading it: the posting's
analysis (without its text), the match before and after tailoring, every reworded line beside
its source, what was left out and why, and the guard's rejections.

`report.json` holds the same facts once the job has succeeded; this answer exists before that
(the match shows while the job is still rewriting and compiling), and it carries the lines'
texts, which `report.json` only names by path.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pipeline.jsonresume import STORED
from pipeline.models import (
    Culture,
    EditKind,
    GuardRejection,
    JobAnalysis,
    MatchReport,
    Provenance,
    TailoredResume,
)
from workers import storage
from workers.db.models import Job, JobState
from workers.settings import Settings

_STEP = re.compile(r"([A-Za-z_$][\w$]*)|\[(\d+)\]")


def value_at(document: object, path: str) -> object:
    """The value at `work[1].highlights[3]` in a JSON document; None where it is absent."""
    node = document
    for name, index in _STEP.findall(path):
        if name:
            node = node.get(name) if isinstance(node, dict) else None
        else:
            position = int(index)
            node = node[position] if isinstance(node, list) and position < len(node) else None
        if node is None:
            return None
    return node


def text_at(document: object, path: str) -> str | None:
    value = value_at(document, path)
    return value if isinstance(value, str) else None


# The keys that name a whole entry (a job, a language, an award), first found wins.
_NAMING_KEYS = ("name", "title", "position", "language", "institution", "organization")


def described_at(document: object, path: str) -> str | None:
    """A line's text, or for a whole entry left out (`languages[1]`), what names it."""
    value = value_at(document, path)
    if isinstance(value, dict):
        return next((value[k] for k in _NAMING_KEYS if isinstance(value.get(k), str)), None)
    return value if isinstance(value, str) else None


class PostingOut(BaseModel):
    """What the parse stage read from the posting (its text is not repeated)."""

    title: str | None = Field(default=None, description="The job title.")
    company: str | None = Field(default=None, description="The employer, when named.")
    seniority: str | None = Field(default=None, description=(
        "`intern`, `junior`, `mid`, `senior`, `lead`, `principal`, `manager`, `director`, "
        "`executive` (an open set)."))
    min_years: float | None = Field(default=None, description="Minimum years of experience "
                                                              "asked for.")
    education: str | None = Field(default=None, description="Minimum degree asked for.")
    culture: Culture = Field(default_factory=Culture, description="Tone and values.")


class LineOut(BaseModel):
    """One line of the tailored resume and where it came from."""

    output_path: str = Field(description="Where it stands in the tailored resume.")
    text: str | None = Field(description="The line as the tailored resume words it.")
    edit: EditKind = Field(description="What tailoring did to it.")
    provider: str = Field(description="Who wrote it: `local` or an AI provider.")
    detail: str = Field(default="", description='The change in short: "Postgres → PostgreSQL".')
    sources: dict[str, str | None] = Field(
        description="Master resume path → its text: what the line was made from.")


class LeftOut(BaseModel):
    """A line or entry the tailored resume does not show."""

    path: str = Field(description="In the master resume (rewrite) or the tailored one "
                                  "(compile).")
    text: str | None = Field(description="Its text, or for an entry what names it.")
    stage: str = Field(description="`rewrite` (least relevant) or `compile` (to fit a page).")
    reason: str = Field(description="Why it went.")
    relevance: float | None = Field(default=None, description=(
        "Its relevance to the posting, 0..1, when the compile stage ranked it."))


class CompileOut(BaseModel):
    """What the compile stage did."""

    template: str = Field(description="The template rendered.")
    engine: str = Field(description="`pdflatex`, or `lualatex` for scripts beyond Latin.")
    pages: int = Field(description="Pages of the PDF: 1.")
    compiles: int = Field(description="TeX runs used, fitting included.")
    adjustments: list[str] = Field(default_factory=list, description=(
        'Layout changes made to fit: "font 10.5pt", "margins 0.45in".'))


class JobReportOut(BaseModel):
    """A job's report so far; each part appears once its stage has run."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "6f1c2b0e-9d4a-4c3e-8a57-2f0d1b3c4e5f", "state": "rewriting",
        "posting": {"title": "Backend Engineer", "company": "Acme", "seniority": "senior",
                    "min_years": 5, "education": None,
                    "culture": {"tone": "neutral", "values": ["ownership"]}},
        "before": {"match_rate": 0.62, "ceiling": 0.75, "breakdown": [
            {"name": "hard_skills", "weight": 0.6, "score": 0.6, "detail": "6 of 10"}],
            "skills": [{"name": "PostgreSQL", "kind": "hard", "importance": 0.9,
                        "required": True, "matched": True, "state": "shown",
                        "evidence": [{"path": "skills[0].keywords[1]", "text": "PostgreSQL",
                                      "surfaced": True, "basis": "named"}],
                        "resume_forms": ["PostgreSQL"]}]},
        "lines": [], "left_out": [], "rejections": [],
    }]})

    id: uuid.UUID = Field(description="The job's id.")
    state: str = Field(description="The job's state (see `JobOut.state`).")
    posting: PostingOut | None = Field(default=None, description="Once parsed.")
    before: MatchReport | None = Field(default=None, description="Once scored.")
    after: MatchReport | None = Field(
        default=None, description="The tailored resume as rendered, once uploaded.")
    lines: list[LineOut] = Field(default_factory=list, description="Once rewritten.")
    left_out: list[LeftOut] = Field(default_factory=list, description=(
        "What the rewrite (least relevant) or the compile (to fit a page) left out."))
    rejections: list[GuardRejection] = Field(default_factory=list, description=(
        "Wordings the truthfulness guard refused."))
    compile: CompileOut | None = Field(default=None, description="Once compiled.")
    pdf_url: str | None = Field(
        default=None, description="Presigned URL of the PDF to show inline, once succeeded.")
    pdf_url_expires_in_s: int | None = Field(default=None, description=(
        "Seconds `pdf_url` stays valid from this answer."))


def job_report(job: Job, settings: Settings) -> JobReportOut:
    """`job` with its heavy columns loaded."""
    out = JobReportOut(id=job.id, state=job.state)
    if job.analysis:
        analysis = JobAnalysis.model_validate(job.analysis)
        out.posting = PostingOut(
            title=analysis.title, company=analysis.company,
            seniority=analysis.seniority.value if analysis.seniority else None,
            min_years=analysis.min_years,
            education=analysis.education.value if analysis.education else None,
            culture=analysis.culture,
        )
    if job.report:
        out.before = MatchReport.model_validate(job.report)
    if job.report_after:
        out.after = MatchReport.model_validate(job.report_after)
    if job.tailored:
        tailored = TailoredResume.model_validate(job.tailored, context=STORED)
        document = tailored.resume.to_json_dict()
        out.lines = [_line(p, document, job.resume) for p in tailored.provenance
                     if p.edit != EditKind.dropped]
        # A line the rewrite left out has no output path: it is named by its source.
        out.left_out = [
            LeftOut(path=p.source_paths[0] if p.source_paths else p.output_path,
                    text=_first_source(p, job.resume), stage="rewrite",
                    reason=p.detail or "least relevant to the posting")
            for p in tailored.provenance if p.edit == EditKind.dropped
        ]
        out.rejections = tailored.rejections
        meta = job.compile_meta or {}
        out.left_out += [
            LeftOut(path=path, text=described_at(document, path), stage="compile",
                    reason="left out to fit one page (least relevant first)",
                    relevance=tailored.relevance.get(path))
            for path in meta.get("trimmed", [])
        ]
        if meta:
            out.compile = CompileOut(
                template=meta.get("template", job.template), engine=meta.get("engine", ""),
                pages=meta.get("pages", 0), compiles=meta.get("compiles", 0),
                adjustments=meta.get("adjustments", []),
            )
    pdf_key = (job.artifacts or {}).get("resume.pdf")
    if job.state == JobState.succeeded and pdf_key:
        # No attachment disposition: this one is for the page's PDF viewer.
        out.pdf_url = storage.presigned_url(pdf_key)
        out.pdf_url_expires_in_s = settings.presign_expiry_s
    return out


def _line(provenance: Provenance, tailored: dict[str, Any], master: dict[str, Any]) -> LineOut:
    return LineOut(
        output_path=provenance.output_path, text=text_at(tailored, provenance.output_path),
        edit=provenance.edit, provider=provenance.provider, detail=provenance.detail,
        sources={path: text_at(master, path) for path in provenance.source_paths},
    )


def _first_source(provenance: Provenance, master: dict[str, Any]) -> str | None:
    for path in provenance.source_paths:
        text = described_at(master, path)
        if text is not None:
            return text
    return None
