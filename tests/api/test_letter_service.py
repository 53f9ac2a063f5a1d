"""A job asking for the cover letter, through uvicorn, Postgres, Redis, SeaweedFS and worker
processes: the letter's artifacts are uploaded, and every PDF's ATS report is in the job's
status and in report.json."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from tests.api import factories
from tests.api.conftest import poll

pytestmark = pytest.mark.service


def test_a_job_with_the_letter_uploads_it_with_ats_reports(http: httpx.Client,
                                                           celery_workers: Any) -> None:
    response = http.post("/v1/jobs", json={**factories.job(), "documents": ["resume", "letter"]})
    assert response.status_code == 202, response.text
    job = poll(http, response.headers["location"])
    assert job["state"] == "succeeded", job
    assert set(job["artifacts"]) == {"resume.pdf", "resume.tex", "report.json", "tailored.json",
                                     "letter.pdf", "letter.tex", "letter.md"}
    assert [r["document"] for r in job["ats"]] == ["resume.pdf", "letter.pdf"]
    assert all(c["status"] in ("pass", "fail", "skipped")
               for r in job["ats"] for c in r["checks"])

    letter = httpx.get(job["artifacts"]["letter.pdf"], timeout=30)
    assert letter.status_code == 200
    assert len(PdfReader(io.BytesIO(letter.content)).pages) == 1
    report = httpx.get(job["artifacts"]["report.json"], timeout=30).json()
    assert report["letter"]["pages"] == 1 and report["letter"]["provider"] == "local"
    assert [r["document"] for r in report["ats"]] == ["resume.pdf", "letter.pdf"]
