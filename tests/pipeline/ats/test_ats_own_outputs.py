"""The product's own PDFs pass its own ATS rules: every example pair tailored in every
template, and a resume so long the fitter has to tighten the layout down to the floors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.ats import Expectations, check_pdf
from pipeline.compile.one_page import compile_resume
from pipeline.compile.render import list_templates, template_info
from pipeline.documents.outputs import artifact_files
from pipeline.floors import MIN_BODY_PT, MIN_MARGIN_IN
from pipeline.inputs import load_posting, load_resume
from pipeline.jsonresume import Resume
from pipeline.models import AtsReport, TailoredResume
from pipeline.tailor import run_tailor

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
TEMPLATES = [name for name, _ in list_templates()]
TODAY = date(2026, 6, 1)
# Each example resume with the posting written for it.
PAIRS = [
    ("data-scientist.json", "data-scientist.md"),
    ("junior-frontend.json", "frontend-developer.html"),
    ("senior-backend.json", "backend-engineer.md"),
    ("staff-devops.yaml", "devops-sre.md"),
]


def failures(report: AtsReport) -> dict[str, str]:
    return {c.rule: c.detail for c in report.failed}


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize(("resume", "posting"), PAIRS, ids=[r for r, _ in PAIRS])
def test_every_tailored_example_passes_every_ats_rule(template: str, resume: str,
                                                      posting: str) -> None:
    result = run_tailor(load_resume(EXAMPLES / "resumes" / resume),
                        load_posting(EXAMPLES / "postings" / posting), template=template,
                        today=TODAY)
    files, result = artifact_files(result)
    assert result.compiled.pages == 1
    report = next(r for r in result.report.ats if r.document == "resume.pdf")
    assert report.ok, failures(report)
    rules = {c.rule: c.status for c in report.checks}
    assert rules["margins"] == rules["body_font_size"] == "pass", rules
    assert "resume.pdf" in files


def _titles_only(jobs: int) -> Resume:
    """Jobs whose titles and dates (never dropped) fill more than a page at a template's
    own layout, each with one droppable bullet."""
    return Resume.model_validate({
        "basics": {"name": "Jordan Example", "email": "jordan@example.org"},
        "work": [{"name": f"Northwind Logistics Group {i}", "position": "Senior Platform Engineer",
                  "startDate": f"{2020 - i}-01", "endDate": f"{2021 - i}-01",
                  "highlights": ["Built the shipment tracking API serving enterprise customers"]}
                 for i in range(jobs)],
        "education": [{"institution": "State University", "studyType": "BSc", "area": "CS"}],
    })


@pytest.mark.parametrize("template", [t for t in TEMPLATES
                                      if template_info(t).layout.margin_in > MIN_MARGIN_IN])
def test_a_tightened_layout_stops_at_the_floors_and_passes(template: str) -> None:
    # 38 such jobs overflow classic and modern even with every bullet dropped, and fit once
    # the layout is tightened: the only way to reach the floors.
    compiled = compile_resume(TailoredResume(resume=_titles_only(38)), template=template)
    assert compiled.pages == 1
    assert f"margins {MIN_MARGIN_IN:g}in" in " ".join(compiled.adjustments), compiled.adjustments
    assert f"font {MIN_BODY_PT:g}pt" in " ".join(compiled.adjustments), compiled.adjustments
    assert f"margin={MIN_MARGIN_IN:g}in" in compiled.tex
    report = check_pdf(compiled.pdf, Expectations(document="resume.pdf", kind="resume",
                                                  name="Jordan Example"))
    rules = {c.rule: c.status for c in report.checks}
    assert rules["margins"] == rules["body_font_size"] == "pass", failures(report)
