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

from pydantic import BaseModel, Field

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
    title: str | None = None
    company: str | None = None
    seniority: str | None = None
    min_years: float | None = None
    education: str | None = None
    culture: Culture = Field(default_factory=Culture)


class LineOut(BaseModel):
    """One line of the tailored resume and where it came from."""

    output_path: str
    text: str | None = Field(description="The line as the tailored resume words it.")
    edit: EditKind
    provider: str
    detail: str = ""
    sources: dict[str, str | None] = Field(
        description="Master resume path → its text: what the line was made from.")


class LeftOut(BaseModel):
    path: str = Field(description="In the master resume (rewrite) or the tailored one "
                                  "(compile).")
    text: str | None
    stage: str = Field(description="`rewrite` (least relevant) or `compile` (to fit a page).")
    reason: str
    relevance: float | None = None


class CompileOut(BaseModel):
    template: str
    engine: str
    pages: int
    compiles: int
    adjustments: list[str] = Field(default_factory=list)


class JobReportOut(BaseModel):
    id: uuid.UUID
    state: str
    posting: PostingOut | None = Field(default=None, description="Once parsed.")
    before: MatchReport | None = Field(default=None, description="Once scored.")
    after: MatchReport | None = Field(
        default=None, description="The tailored resume as rendered, once uploaded.")
    lines: list[LineOut] = Field(default_factory=list, description="Once rewritten.")
    left_out: list[LeftOut] = Field(default_factory=list)
    rejections: list[GuardRejection] = Field(default_factory=list)
    compile: CompileOut | None = None
    pdf_url: str | None = Field(
        default=None, description="Presigned URL of the PDF to show inline, once succeeded.")
    pdf_url_expires_in_s: int | None = None


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
        tailored = TailoredResume.model_validate(job.tailored)
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
