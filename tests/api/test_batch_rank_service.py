"""Rank-first batches through the real service (uvicorn, Postgres, Redis, SeaweedFS, Celery
workers): every posting ranked, only the best `tailor_top` tailored, and the ranking the same
as the command line's `rank`."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from pipeline.inputs import load_posting
from tests.api import factories
from tests.api.conftest import poll
from tests.api.test_batches_webhooks_service import _final_deliveries, _verifier
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.service

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _postings(count: int) -> list[tuple[str, str]]:
    """(label, text): the example postings (a nurse's among them, an HTML one), then the
    factories' (the same role at other companies and levels, so some fits are close)."""
    examples = [(p.stem, load_posting(p)) for p in sorted((EXAMPLES / "postings").iterdir())]
    made = [(f"made-{i}", factories.posting(i)) for i in range(count - len(examples))]
    return (examples + made)[:count]


def _cli_rank(resume: dict[str, Any], postings: list[tuple[str, str]],
              folder: Path) -> list[dict[str, Any]]:
    """`resume-tailor rank resume.json postings.jsonl --json`, the installed command."""
    (folder / "resume.json").write_text(json.dumps(resume))
    (folder / "postings.jsonl").write_text(
        "".join(json.dumps({"id": label, "text": text}) + "\n" for label, text in postings))
    command = Path(sys.executable).with_name("resume-tailor")
    done = subprocess.run([str(command), "rank", "resume.json", "postings.jsonl", "--json"],
                          cwd=folder, capture_output=True, text=True, check=True)
    ranked: list[dict[str, Any]] = json.loads(done.stdout)
    return ranked


def test_rank_only_batch_ranks_as_the_cli_does(
    http: httpx.Client, celery_workers: Any, tmp_path: Path
) -> None:
    resume, postings = factories.resume(), _postings(20)
    body = {"resume": resume, "mode": "rank_first", "tailor_top": 0,
            "postings": [{"label": label, "posting": text} for label, text in postings]}
    response = http.post("/v1/batches", json=body)
    assert response.status_code == 202, response.text
    batch = poll(http, response.headers["location"], until={"completed"}, timeout_s=300)

    assert (batch["mode"], batch["tailor_top"]) == ("rank_first", 0)
    assert batch["counts"]["ranked"] == 20 and batch["counts"]["succeeded"] == 0
    assert {item["state"] for item in batch["items"]} == {"ranked"}
    expected = _cli_rank(resume, postings, tmp_path)
    ranking = batch["ranking"]
    assert [r["label"] for r in ranking] == [r["id"] for r in expected]
    assert [r["fit"] for r in ranking] == [r["fit"] for r in expected]
    assert [r["match_rate"] for r in ranking] == [r["match_rate"] for r in expected]
    assert [r["title"] for r in ranking] == [r["title"] for r in expected]
    assert len({r["fit"] for r in ranking}) > 10, "the postings should not all fit alike"

    # A ranked item is finished without a PDF, its match kept.
    job = http.get(f"/v1/jobs/{ranking[0]['job_id']}").json()
    assert job["state"] == "ranked" and job["artifacts"] is None
    assert job["match"]["match_rate_before"] == ranking[0]["match_rate"]
    assert [stage["name"] for stage in job["stages"]] == ["rank"]


def test_tailor_top_tailors_only_the_best(
    http: httpx.Client, receiver: Receiver, db_session: Session, celery_workers: Any
) -> None:
    hook = receiver.url("/ranked")
    postings = _postings(8)
    body = {"resume": factories.resume(), "mode": "rank_first", "tailor_top": 2,
            "webhook_url": hook,
            "postings": [{"label": label, "posting": text} for label, text in postings]}
    response = http.post("/v1/batches", json=body)
    assert response.status_code == 202, response.text
    accepted = response.json()
    batch = poll(http, response.headers["location"], until={"completed"}, timeout_s=600)

    assert batch["counts"]["succeeded"] == 2 and batch["counts"]["ranked"] == 6, batch["counts"]
    ranking = batch["ranking"]
    fits = [r["fit"] for r in ranking]
    assert fits == sorted(fits, reverse=True)
    states = {item["job_id"]: item["state"] for item in batch["items"]}
    assert [states[r["job_id"]] for r in ranking] == ["succeeded"] * 2 + ["ranked"] * 6
    for row in ranking[:2]:
        job = http.get(f"/v1/jobs/{row['job_id']}").json()
        assert "resume.pdf" in job["artifacts"], job
        assert job["match"]["match_rate_after"] is not None
        assert [s["name"] for s in job["stages"]] == ["rank", "rewrite", "compile", "upload"]
        pdf = http.get(f"/v1/jobs/{row['job_id']}/artifacts/resume.pdf", follow_redirects=True)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    rows = _final_deliveries(db_session, batch_id=uuid.UUID(accepted["id"]))
    assert [row.state for row in rows] == ["succeeded"]
    received = receiver.on("/ranked")
    assert len(received) == 1
    event = _verifier().verify(received[0].body, received[0].headers)
    assert event["type"] == "batch.completed"
    assert (event["data"]["succeeded"], event["data"]["ranked"]) == (2, 6)
