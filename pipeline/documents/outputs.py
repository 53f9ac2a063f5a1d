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
from pipeline.letter import CompiledLetter, header_view, letter_markdown
from pipeline.models import AtsReport, LetterReport
from pipeline.tailor import TailorResult, artifacts


def rendered_view(result: TailorResult) -> DocumentView:
    """What the PDF shows: the resume after trimming, as the templates lay it out."""
    return build_view(result.compiled.resume or result.tailored.resume)


def resume_expectations(view: DocumentView, document: str) -> Expectations:
    return Expectations(document=document, kind="resume", name=view.name,
                        headings=tuple(headings(view)))


def resume_documents(result: TailorResult,
                     formats: Sequence[str]) -> tuple[dict[str, bytes], list[AtsReport]]:
    """resume.pdf/.tex, .docx, .md, .txt as asked, and the ATS reports of the PDF and DOCX."""
    view = rendered_view(result)
    files: dict[str, bytes] = {}
    reports: list[AtsReport] = []
    if "pdf" in formats:
        files["resume.pdf"] = result.compiled.pdf
        files["resume.tex"] = result.compiled.tex.encode("utf-8")
        reports.append(check_pdf(result.compiled.pdf, resume_expectations(view, "resume.pdf")))
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
                     view: DocumentView) -> tuple[dict[str, bytes], AtsReport, LetterReport]:
    """letter.pdf, .tex and .md, the PDF's ATS report, and what report.json says of it."""
    letter = compiled.letter
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


def tailor_files(result: TailorResult, *, formats: Sequence[str] = ("pdf",),
                 letter: CompiledLetter | None = None) -> tuple[dict[str, bytes], TailorResult]:
    """Every file of one tailoring by name, and the result with the ATS reports (and the
    letter's report) in it."""
    files, ats = resume_documents(result, formats)
    update: dict[str, object] = {}
    if letter is not None:
        resume = result.compiled.resume or result.tailored.resume
        letter_files, letter_ats, update["letter"] = letter_documents(
            letter, header_view(resume))
        files.update(letter_files)
        ats.append(letter_ats)
    update["ats"] = ats
    result = dataclasses.replace(result, report=result.report.model_copy(update=update))
    written = artifacts(result)
    # artifacts() always holds the PDF and .tex; they stay out unless asked for.
    base = {k: v for k, v in written.items() if k not in ("resume.pdf", "resume.tex")}
    return {**files, **base}, result
