"""One resume and posting through the command line and through the service (uvicorn, Postgres,
Redis, SeaweedFS and worker processes) give the same report.json, tailored.json, .tex and
letter.md: both build them with pipeline.report and pipeline.documents.outputs. Only the
timings differ, as each side measures its own stages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from pipeline.cli.commands import app
from tests.api.conftest import poll

pytestmark = pytest.mark.service

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RESUME = EXAMPLES / "resumes" / "senior-backend.json"
POSTING = EXAMPLES / "postings" / "backend-engineer.md"
# Byte for byte the same; the PDFs are not compared, as TeX stamps them with the time.
SAME_BYTES = ("tailored.json", "resume.tex", "letter.tex", "letter.md")


def without_timings(report: bytes) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(report)
    data.pop("timings_ms")
    return data


def test_the_cli_and_the_service_write_the_same_files(
        http: httpx.Client, live_workers: Any, tmp_path: Path) -> None:
    # Both sides score against today's date (years of experience), so they run the same day.
    result = CliRunner().invoke(app, ["tailor", str(RESUME), str(POSTING), "-o",
                                      str(tmp_path), "--template", "modern", "--letter",
                                      "--provider", "local"])
    assert result.exit_code == 0, result.output

    body = {"resume": json.loads(RESUME.read_text()), "posting": POSTING.read_text(),
            "template": "modern", "documents": ["resume", "letter"]}
    response = http.post("/v1/jobs", json=body)
    assert response.status_code == 202, response.text
    location = response.headers["location"]
    job = poll(http, location)
    assert job["state"] == "succeeded", job
    served = {name: http.get(f"{location}/artifacts/{name}", follow_redirects=True)
              for name in ("report.json", *SAME_BYTES)}
    assert all(r.status_code == 200 for r in served.values())

    for name in SAME_BYTES:
        assert served[name].content == (tmp_path / name).read_bytes(), name
    cli_report = without_timings((tmp_path / "report.json").read_bytes())
    service_report = without_timings(served["report.json"].content)
    assert service_report == cli_report
    assert [r["document"] for r in cli_report["ats"]] == ["resume.pdf", "letter.pdf"]
    assert cli_report["letter"]["pages"] == 1
