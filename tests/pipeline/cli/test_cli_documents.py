"""`tailor --letter --format ...` and `letter`: the files they write, the ATS reports in
report.json and the summary, and a bad --format refused naming the field."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli.commands import app

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
RESUME = str(EXAMPLES / "resumes" / "junior-frontend.json")
POSTING = str(EXAMPLES / "postings" / "frontend-developer.html")


def test_tailor_writes_every_format_and_the_letter(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["tailor", RESUME, POSTING, "-o", str(out), "--letter",
                                      "--format", "pdf,docx,md,txt", "--template", "modern"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted([
        "resume.pdf", "resume.tex", "resume.docx", "resume.md", "resume.txt", "letter.pdf",
        "letter.tex", "letter.md", "tailored.json", "report.json"])
    report = json.loads((out / "report.json").read_text())
    assert [r["document"] for r in report["ats"]] == ["resume.pdf", "resume.docx", "letter.pdf"]
    assert report["letter"]["pages"] == 1 and report["letter"]["provider"] == "local"
    assert "ATS check letter.pdf" in result.output and "cover letter" in result.output
    assert "Lumen Learning Labs" in (out / "letter.md").read_text()


def test_tailor_without_pdf_in_formats_writes_no_pdf(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["tailor", RESUME, POSTING, "-o", str(out),
                                      "--format", "md"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["report.json", "resume.md", "tailored.json"]
    assert json.loads((out / "report.json").read_text())["ats"] == []


def test_a_bad_format_is_refused_naming_the_field(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["tailor", RESUME, POSTING, "-o", str(tmp_path / "o"),
                                      "--format", "pdf,rtf"])
    assert result.exit_code == 2
    assert "format" in result.output and "rtf" in result.output
    assert not (tmp_path / "o").exists()


def test_letter_writes_only_the_letter(tmp_path: Path) -> None:
    out = tmp_path / "letter"
    result = CliRunner().invoke(app, ["letter", RESUME, POSTING, "-o", str(out),
                                      "--template", "compact"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["letter.md", "letter.pdf", "letter.tex"]
    assert "ATS check letter.pdf: ok" in result.output
