"""report.json and tailored.json: the one builder of a tailoring's report and the one writer
of its JSON files. The CLI (through pipeline.documents.outputs) and the service's upload task
both call these, so one resume and posting give the same files either way; only the timings
differ, as each measures its own stages.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.jsonresume import Resume
from pipeline.letter.facts import value_at
from pipeline.models import (
    AtsReport,
    CompileFacts,
    InputNotes,
    JobAnalysis,
    LetterReport,
    MatchReport,
    TailoredResume,
    TailorReport,
    Trim,
    Usage,
)


def rendered_resume(tailored: TailoredResume, compiled: CompileFacts) -> Resume:
    """The resume as the PDF shows it: after any trimming to fit the page."""
    return compiled.resume or tailored.resume


def build_report(
    *,
    analysis: JobAnalysis,
    before: MatchReport,
    tailored: TailoredResume,
    compiled: CompileFacts,
    after: MatchReport,
    timings_ms: dict[str, float],
    parse_usage: Sequence[Usage] = (),
    ats: Sequence[AtsReport] = (),
    letter: LetterReport | None = None,
    input_notes: InputNotes | None = None,
) -> TailorReport:
    """The report of one tailoring from its stages' outputs. `parse_usage` is what a model's
    additions to the analysis cost (the rewrite's own usage travels in `tailored`)."""
    return TailorReport(
        analysis=analysis, before=before, after=after, template=compiled.template,
        engine=compiled.engine, pages=compiled.pages, compiles=compiled.compiles,
        trimmed=compiled.trimmed, adjustments=compiled.adjustments,
        provenance=tailored.provenance, rejections=tailored.rejections,
        parse_back=compiled.parse_back, usage=[*parse_usage, *tailored.usage],
        timings_ms=timings_ms, ats=list(ats), letter=letter,
        input_notes=input_notes or InputNotes(), trims=trim_reasons(compiled.trimmed, tailored),
    )


def trim_reasons(trimmed: Sequence[str], tailored: TailoredResume) -> list[Trim]:
    """Each trimmed path with its text and why it went: what the rewriter found it worth
    (the required skills it names, its years) and its relevance."""
    data = tailored.resume.to_json_dict()
    out = []
    for path in trimmed:
        value = value_at(data, path)
        if isinstance(value, dict):
            value = next((value[k] for k in _ENTRY_NAMES if value.get(k)), "")
        relevance = tailored.relevance.get(path)
        reason = tailored.reasons.get(path, "least relevant by position")
        if relevance is not None:
            reason += f"; relevance {relevance:.2f}"
        out.append(Trim(path=path, text=str(value or ""), relevance=relevance, reason=reason))
    return out


_ENTRY_NAMES = ("name", "title", "position", "organization", "language")


def report_files(report: TailorReport, rendered: Resume) -> dict[str, bytes]:
    """tailored.json (the resume the PDF shows, as JSON Resume) and report.json: indented,
    UTF-8 as is, ending in a newline. Serialised by pydantic itself: json.dumps with an indent
    took about a millisecond for a report, a tenth of the upload task's CPU; this takes a fifth
    of that."""
    return {
        "tailored.json": (rendered.to_json_text() + "\n").encode("utf-8"),
        "report.json": (report.model_dump_json(indent=2) + "\n").encode("utf-8"),
    }
