"""The files one tailoring writes, in every format asked for, each PDF and DOCX with its ATS
report, and report.json holding those reports. The CLI writes them; the service uploads them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from pipeline.ats import Expectations, check_docx, check_pdf
from pipeline.compile.content import DocumentView, build_view
from pipeline.documents.blocks import headings
from pipeline.documents.plain import to_markdown, to_text
from pipeline.documents.word import to_docx
from pipeline.jsonresume import Resume
from pipeline.letter import CompiledLetter, letter_markdown
from pipeline.models import AtsReport, CompiledResume, LetterReport
from pipeline.report import build_report, rendered_resume, report_files
from pipeline.tailor import TailorResult


def rendered_view(result: TailorResult) -> DocumentView:
    """What the PDF shows: the resume after trimming, as the templates lay it out."""
    return build_view(rendered_resume(result.tailored, result.compiled))


def resume_expectations(view: DocumentView, document: str) -> Expectations:
    return Expectations(document=document, kind="resume", name=view.name,
                        headings=tuple(headings(view)))


def resume_documents(compiled: CompiledResume, rendered: Resume,
                     formats: Sequence[str]) -> tuple[dict[str, bytes], list[AtsReport]]:
    """resume.pdf/.tex, .docx, .md, .txt as asked, and the ATS reports of the PDF and DOCX.
    `rendered` is the resume the PDF shows (`pipeline.report.rendered_resume`)."""
    view = build_view(rendered)
    files: dict[str, bytes] = {}
    reports: list[AtsReport] = []
    if "pdf" in formats:
        files["resume.pdf"] = compiled.pdf
        files["resume.tex"] = compiled.tex.encode("utf-8")
        reports.append(check_pdf(compiled.pdf, resume_expectations(view, "resume.pdf")))
    if "docx" in formats:
        files["resume.docx"] = to_docx(view)
        reports.append(check_docx(files["resume.docx"],
                                  resume_expectations(view, "resume.docx")))
    if "md" in formats:
        files["resume.md"] = to_markdown(view).encode("utf-8")
    if "txt" in formats:
        files["resume.txt"] = to_text(view).encode("utf-8")
    return files, reports


def letter_documents(compiled: CompiledLetter,
                     ) -> tuple[dict[str, bytes], AtsReport, LetterReport]:
    """letter.pdf, .tex and .md, the PDF's ATS report, and what report.json says of it."""
    letter, view = compiled.letter, compiled.header
    anchors = [a for a in (letter.facts.company, letter.facts.role) if a]
    expect = Expectations(document="letter.pdf", kind="letter", name=view.name,
                          in_order=(*anchors, letter.salutation, letter.closing))
    files = {
        "letter.pdf": compiled.pdf,
        "letter.tex": compiled.tex.encode("utf-8"),
        "letter.md": letter_markdown(letter, view).encode("utf-8"),
    }
    report = LetterReport(provider=letter.provider, template=compiled.template,
                          engine=compiled.engine, pages=compiled.pages,
                          compiles=compiled.compiles, sentences=letter.sentences,
                          rejections=letter.rejections)
    return files, check_pdf(compiled.pdf, expect), report


def artifact_files(result: TailorResult, *, formats: Sequence[str] = ("pdf",),
                   letter: CompiledLetter | None = None) -> tuple[dict[str, bytes], TailorResult]:
    """Every file of one tailoring by name, and the result whose report holds the ATS reports
    (and the letter's report). The service writes the same files from the same functions:
    these documents in its compile task, report_files in its upload task."""
    rendered = rendered_resume(result.tailored, result.compiled)
    files, ats = resume_documents(result.compiled, rendered, formats)
    letter_report = None
    if letter is not None:
        letter_files, letter_ats, letter_report = letter_documents(letter)
        files.update(letter_files)
        ats.append(letter_ats)
    report = build_report(analysis=result.analysis, before=result.before,
                          tailored=result.tailored, compiled=result.compiled,
                          after=result.after, timings_ms=result.report.timings_ms,
                          parse_usage=result.parse_usage, ats=ats, letter=letter_report,
                          input_notes=result.report.input_notes)
    files.update(report_files(report, rendered))
    return files, dataclasses.replace(result, report=report)
