"""The page in Chromium against the real service: tailor an example, refuse a bad resume
before sending it, rank twenty postings and tailor the best; axe-core finds no serious or
critical violation on any view, and every view fits a 375 px screen."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, Request, expect
from pypdf import PdfReader

from tests.api import factories
from tests.service_fixtures import Credential, WorkerPool
from tests.web.conftest import assert_accessible, assert_fits_phone, screenshot
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.service

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SKILLSPAN = ROOT.parent / "shared" / "data" / "skillspan" / "skillspan_dev.postings.jsonl"
JOB_TIMEOUT_MS = 240_000


def load_resume(page: Page, path: Path, prefix: str = "tailor") -> None:
    page.set_input_files(f"#{prefix}-resume-file", str(path))
    expect(page.locator(f"#{prefix}-resume-status")).to_contain_text("✓")


def stage_snapshots(page: Page, timeout_s: float) -> list[tuple[str, ...]]:
    """The stages' statuses each time they change, until the job ends."""
    seen: list[tuple[str, ...]] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        statuses = tuple(page.locator(".stage").evaluate_all(
            "items => items.map(i => i.dataset.status)"))
        if statuses and (not seen or seen[-1] != statuses):
            seen.append(statuses)
        state = page.locator("[data-job-state]").get_attribute("data-job-state")
        if state in ("succeeded", "failed", "cancelled"):
            return seen
        page.wait_for_timeout(100)  # the page polls the API; this watches the page
    raise AssertionError(f"the job did not end within {timeout_s}s; stages seen: {seen}")


def download(page: Page, artifact: str) -> bytes:
    with page.expect_download() as info:
        page.locator(f"a[data-artifact='{artifact}']").click()
    path = info.value.path()
    return Path(path).read_bytes()


def test_tailor_an_example_and_read_the_result(
    page: Page, page_url: str, live_workers: WorkerPool, tmp_path: Path
) -> None:
    page.goto(f"{page_url}/#/tailor")
    expect(page.get_by_role("heading", name="Tailor your resume to a job")).to_be_visible()
    # The templates are offered as their preview pictures, by the server's list.
    expect(page.locator(".template img")).to_have_count(3)
    load_resume(page, EXAMPLES / "resumes" / "senior-backend.json")
    page.set_input_files("#posting-file", str(EXAMPLES / "postings" / "backend-engineer.md"))
    expect(page.locator("#posting-text")).to_have_value(
        (EXAMPLES / "postings" / "backend-engineer.md").read_text())
    page.get_by_role("radio", name="modern", exact=True).check()
    assert_accessible(page, "tailor form")
    assert_fits_phone(page, "tailor form")
    screenshot(page, "tailor", tmp_path, height=1300)

    posts: list[Request] = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    page.get_by_role("button", name="Tailor", exact=True).click()
    page.wait_for_url("**/#/jobs/*")
    assert len(posts) == 1 and posts[0].url.endswith("/v1/jobs")
    assert posts[0].headers.get("idempotency-key")
    assert json.loads(posts[0].post_data or "{}")["template"] == "modern"

    snapshots = stage_snapshots(page, JOB_TIMEOUT_MS / 1000)
    # The stages advanced in view: some done while others still waited, then all done.
    assert any("done" in s and s.count("done") < 5 for s in snapshots), snapshots
    assert snapshots[-1] == ("done",) * 5, snapshots
    done_counts = [s.count("done") for s in snapshots]
    assert done_counts == sorted(done_counts), snapshots
    expect(page.locator("[data-job-state]")).to_have_attribute("data-job-state", "succeeded")
    for stage in page.locator(".stage .stage-time").all_inner_texts():
        assert stage.endswith(" ms") or stage.endswith(" s"), stage  # the time each took

    # The match: skills with importance and state, the rates and the ceiling, tone, values.
    match = page.locator("section[aria-labelledby='match-heading']")
    expect(match.locator("table.skills tbody tr").first).to_be_visible(timeout=30_000)
    python = match.locator("tr[data-skill='Python']")
    expect(python.locator(".badge").first).to_have_text("Shown")
    expect(python).to_contain_text("work[")  # where the resume evidences it
    for label in ("As written", "Tailored", "Honest ceiling"):
        expect(match.locator(".rate", has_text=label).locator(".rate-value")).to_have_text(
            _percent_pattern())
    expect(match.locator(".posting-facts")).to_contain_text("Tone")

    # The result: the PDF in the page, and the downloads.
    result = page.locator("section[aria-labelledby='result-heading']")
    expect(result.locator("iframe.pdf")).to_have_attribute("src", _http_pattern())
    pdf = download(page, "resume.pdf")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    tailored = json.loads(download(page, "tailored.json"))
    assert tailored["basics"]["name"]
    report = json.loads(download(page, "report.json"))
    assert report["pages"] == 1
    assert b"\\documentclass" in download(page, "resume.tex")
    expect(result.get_by_role("heading", name="What was reworded")).to_be_visible()
    expect(result.get_by_role("heading", name="What was left out, and why")).to_be_visible()
    expect(result.get_by_role("heading", name="Truthfulness guard")).to_be_visible()

    assert_accessible(page, "job view")
    assert_fits_phone(page, "job view")
    screenshot(page, "job", tmp_path, height=1600)
    screenshot(page, "job-result", tmp_path, top="section[aria-labelledby='result-heading']")


def _percent_pattern() -> Any:
    import re

    return re.compile(r"^\d{1,3}%$")


def _http_pattern() -> Any:
    import re

    return re.compile(r"^https?://")


def test_a_bad_date_is_named_and_nothing_is_sent(page: Page, page_url: str,
                                                 tmp_path: Path) -> None:
    resume = json.loads((EXAMPLES / "resumes" / "senior-backend.json").read_text())
    assert len(resume["work"]) >= 3
    resume["work"][2]["startDate"] = "last spring"
    bad = tmp_path / "bad-date.json"
    bad.write_text(json.dumps(resume, indent=2))

    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method != "GET" else None)
    page.goto(f"{page_url}/#/tailor")
    page.set_input_files("#tailor-resume-file", str(bad))
    errors = page.locator("#tailor-resume-errors")
    expect(errors).to_contain_text("work[2].startDate")
    expect(errors).to_contain_text("not a date")
    page.locator("#posting-text").fill((EXAMPLES / "postings" / "data-engineer.txt").read_text())
    page.get_by_role("button", name="Tailor", exact=True).click()
    expect(page.locator("#tailor-resume-text")).to_be_focused()  # taken to the problem
    assert sent == [] and "#/tailor" in page.url

    # A pasted resume: a month the pattern lets through but the API refuses, as here.
    resume["work"][2]["startDate"] = "2019-13"
    page.locator("#tailor-resume-text").fill(json.dumps(resume))
    page.locator("#tailor-resume-text").blur()
    expect(errors).to_contain_text("work[2].startDate: not a date (month or day out of range)")
    # The keyboard alone reaches the templates and changes the choice.
    page.get_by_role("radio", name="classic", exact=True).focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="compact", exact=True)).to_be_checked()
    page.get_by_role("button", name="Tailor", exact=True).click()
    assert sent == []
    assert_accessible(page, "tailor form with errors")


def test_the_api_key_stays_in_the_tab_and_goes_with_every_request(page: Page,
                                                                   page_url: str) -> None:
    page.goto(f"{page_url}/#/tailor")
    page.get_by_label("API key").fill("rt-test-key")
    with page.expect_request("**/v1/meta") as meta:
        page.reload()
    assert meta.value.headers.get("x-api-key") == "rt-test-key"
    expect(page.get_by_label("API key")).to_have_value("rt-test-key")
    assert page.evaluate("localStorage.length") == 0  # this tab only, not the browser


def _twenty_postings() -> list[dict[str, str]]:
    rows = [{"id": path.stem, "text": path.read_text()}
            for path in sorted((EXAMPLES / "postings").iterdir())]
    if SKILLSPAN.exists():
        with SKILLSPAN.open() as lines:
            rows += [json.loads(line) for line in lines][: 20 - len(rows)]
    rows += [{"id": f"generated-{i}", "text": factories.posting(i)}
             for i in range(20 - len(rows))]
    return rows[:20]


def test_rank_twenty_postings_then_tailor_the_best(
    page: Page, page_url: str, live_workers: WorkerPool, receiver: Receiver, tmp_path: Path,
    api_key: Credential,
) -> None:
    postings = _twenty_postings()
    jsonl = tmp_path / "postings.jsonl"
    jsonl.write_text("".join(json.dumps(row) + "\n" for row in postings))

    page.goto(f"{page_url}/#/rank")
    load_resume(page, EXAMPLES / "resumes" / "senior-backend.json", prefix="rank")
    page.set_input_files("#rank-postings-file", str(jsonl))
    expect(page.locator("#rank-postings-count")).to_contain_text("20 postings from postings.jsonl")
    page.locator("#rank-webhook").fill(receiver.url("/batch-done"))
    assert_accessible(page, "rank form")
    page.get_by_role("button", name="Rank 20 postings").click()
    page.wait_for_url("**/#/rank/*")

    status = page.locator("[data-batch-state]")
    expect(status).to_have_attribute("data-batch-state", "completed", timeout=600_000)
    expect(status).to_contain_text("20 of 20 postings done")
    rows = page.locator("table.ranking tbody tr")
    expect(rows).to_have_count(20)
    rates = [int(text.rstrip("%")) for text in rows.locator("td:nth-child(3)").all_inner_texts()]
    assert rates == sorted(rates, reverse=True), rates  # best first
    expect(page.locator("[data-webhook-state]")).to_have_attribute(
        "data-webhook-state", "succeeded", timeout=60_000)
    assert receiver.on("/batch-done")

    # The page's table is the API's ranking.
    batch_id = page.url.rsplit("/", 1)[1]
    answer = httpx.get(f"{page_url}/v1/batches/{batch_id}", headers=api_key.headers, timeout=30)
    assert answer.status_code == 200, answer.text
    ranking = answer.json()["ranking"]
    top = ranking[0]
    expect(rows.first).to_contain_text(top["label"])
    assert_accessible(page, "rank view")
    assert_fits_phone(page, "rank view")
    screenshot(page, "rank", tmp_path, top="section[aria-labelledby='batch-heading']")

    rows.first.get_by_role("button", name="Tailor this one").click()
    page.wait_for_url("**/#/tailor")
    best = next(row["text"] for row in postings if row["id"] == top["label"])
    expect(page.locator("#posting-text")).to_have_value(best)
    expect(page.locator("#posting-notice")).to_contain_text(top["label"])
    page.get_by_role("button", name="Tailor", exact=True).click()
    page.wait_for_url("**/#/jobs/*")
    expect(page.locator("[data-job-state]")).to_have_attribute(
        "data-job-state", "succeeded", timeout=JOB_TIMEOUT_MS)
    expect(page.locator("a[data-artifact='resume.pdf']")).to_be_visible()


def test_cancel_a_running_job(page: Page, page_url: str, live_workers: WorkerPool) -> None:
    # With no compile worker the job waits after rewriting: a moment that lasts, to cancel in.
    for worker in live_workers.for_queue("compile"):
        live_workers.stop(worker)
    try:
        page.goto(f"{page_url}/#/tailor")
        load_resume(page, EXAMPLES / "resumes" / "junior-frontend.json")
        posting = EXAMPLES / "postings" / "frontend-developer.html"
        page.set_input_files("#posting-file", str(posting))
        page.get_by_role("button", name="Tailor", exact=True).click()
        page.wait_for_url("**/#/jobs/*")
        rewrite = page.locator(".stage[data-stage='rewrite']")
        expect(rewrite).to_have_attribute("data-status", "done", timeout=JOB_TIMEOUT_MS)
        # The match shows while the job is still under way.
        expect(page.locator("table.skills tbody tr").first).to_be_visible(timeout=30_000)
        with page.expect_request(lambda r: r.method == "DELETE") as cancel:
            page.get_by_role("button", name="Cancel").click()
        assert cancel.value.url.endswith(page.url.rsplit("/", 1)[1])
        expect(page.locator("[data-job-state]")).to_have_attribute("data-job-state", "cancelled")
        statuses = page.locator(".stage").evaluate_all("items => items.map(i => i.dataset.status)")
        assert statuses == ["done", "done", "done", "not run", "not run"]
        expect(page.get_by_role("button", name="Cancel")).to_have_count(0)
        expect(page.locator("a[data-artifact]")).to_have_count(0)
    finally:
        live_workers.start("compile")  # the next test needs every stage
