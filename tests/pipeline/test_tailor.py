"""The in-process orchestrator: every stage, real TeX, the report and the output files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipeline.documents.outputs import artifact_files
from pipeline.inputs import load_posting, load_resume
from pipeline.models import EditKind
from pipeline.rewrite.rewriter import LocalRewriter
from pipeline.schema import schema_errors
from pipeline.tailor import STAGES, TailorResult, run_tailor

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = date(2026, 6, 1)
PAIRS = [
    ("senior-backend", "backend-engineer.md"),
    ("junior-frontend", "frontend-developer.html"),
    ("data-scientist", "data-scientist.md"),
]


def artifacts(result: TailorResult) -> dict[str, bytes]:
    return artifact_files(result)[0]


def _run(resume: str, posting: str, template: str = "classic") -> TailorResult:
    return run_tailor(load_resume(EXAMPLES / "resumes" / f"{resume}.json"),
                      load_posting(EXAMPLES / "postings" / posting), template=template,
                      today=TODAY)


@pytest.fixture(scope="module")
def backend() -> TailorResult:
    return _run(*PAIRS[0])


def test_stages_run_in_order_and_are_timed() -> None:
    seen: list[str] = []
    result = run_tailor(load_resume(EXAMPLES / "resumes" / "senior-backend.json"),
                        load_posting(EXAMPLES / "postings" / "devops-sre.md"),
                        rewriter=LocalRewriter(), on_stage=seen.append, today=TODAY)
    assert tuple(seen) == STAGES
    timings = result.report.timings_ms
    assert set(timings) == {*STAGES, "total"}
    assert all(value >= 0 for value in timings.values())
    assert timings["total"] >= sum(timings[s] for s in STAGES) - 1.0


def test_report_ties_the_stages_together(backend: TailorResult) -> None:
    report, compiled = backend.report, backend.compiled
    assert report.pages == compiled.pages == 1
    assert (report.compiles, report.trimmed, report.template) == (
        compiled.compiles, compiled.trimmed, "classic")
    assert report.before == backend.before and report.after == backend.after
    assert report.provenance == backend.tailored.provenance
    assert report.rejections == [] and report.usage == []
    # the tailored resume names PostgreSQL (the posting's word for the resume's "Postgres")
    assert backend.after.match_rate > backend.before.match_rate
    assert "PostgreSQL" in {s.name for s in backend.after.matched}
    assert "PostgreSQL" not in {s.name for s in backend.before.matched}
    assert any(p.edit == EditKind.terminology and "Postgres → PostgreSQL" in p.detail
               for p in report.provenance)


def test_parse_back_checks_name_headings_and_keywords(backend: TailorResult) -> None:
    check = backend.report.parse_back
    assert check is not None
    matched = len(backend.after.matched)
    assert check.checked >= 1 + 3 + min(matched, 5)  # name, headings, keywords
    assert check.ok, (check.missing, check.out_of_order)
    assert "Daniel Okafor" in backend.compiled.text


def test_artifacts(backend: TailorResult) -> None:
    files = artifacts(backend)
    assert sorted(files) == ["report.json", "resume.pdf", "resume.tex", "tailored.json"]
    assert files["resume.pdf"].startswith(b"%PDF")
    tailored = json.loads(files["tailored.json"])
    assert schema_errors(tailored) == []
    # what the PDF shows: the fitted resume, trimmed bullets left out
    assert tailored == (backend.compiled.resume or backend.tailored.resume).to_json_dict()
    report = json.loads(files["report.json"])
    assert report["analysis"]["title"] == backend.analysis.title
    assert report["after"]["match_rate"] == backend.after.match_rate
    # every trimmed piece with its text and why it went, and a skill's state
    assert [t["path"] for t in report["trims"]] == report["trimmed"]
    assert all(t["reason"] and t["text"] for t in report["trims"])
    assert any(t["reason"].startswith("no required skill, 2012") for t in report["trims"])
    assert {s["state"] for s in report["before"]["skills"]} == {"shown", "evidenced", "absent"}


@pytest.mark.parametrize(("resume", "posting"), PAIRS[1:])
def test_examples_end_to_end(resume: str, posting: str) -> None:
    result = _run(resume, posting)
    assert result.report.pages == 1
    assert result.after.match_rate >= result.before.match_rate
    assert result.after.match_rate <= result.before.ceiling + 1e-9
    assert schema_errors(json.loads(artifacts(result)["tailored.json"])) == []
