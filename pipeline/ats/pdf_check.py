"""Every ATS rule on one PDF."""

from __future__ import annotations

from pipeline.ats import pdf_probe, pdf_rules, text_rules
from pipeline.ats.expect import Expectations
from pipeline.models import AtsCheck, AtsReport


def check_pdf(pdf: bytes, expect: Expectations) -> AtsReport:
    pypdf, sizes = pdf_probe.pypdf_read(pdf)
    texts = {"pypdf": pypdf}
    poppler = pdf_probe.pdftotext_text(pdf)
    if poppler is not None:
        texts = {"pdftotext": poppler, **texts}
    # Layout rules read what poppler reads (it keeps lines), or pypdf's text without it.
    text = next(iter(texts.values()))
    checks: list[AtsCheck] = [
        text_rules.text_extractable(texts, expect),
        text_rules.reading_order(texts, expect),
    ]
    if expect.kind == "resume":
        checks.append(text_rules.standard_headings(text, expect))
    checks += [
        text_rules.contact_details(text),
        text_rules.one_date_form(text),
        pdf_rules.body_font_size(sizes),
        pdf_rules.margins(pdf),
        pdf_rules.no_text_in_images(pdf),
        text_rules.no_garbage(texts),
        pdf_rules.fonts_embedded(pdf),
    ]
    return AtsReport(document=expect.document, ok=all(c.status != "fail" for c in checks),
                     checks=checks)
