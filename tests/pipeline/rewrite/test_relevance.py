"""What a recruiter would keep: relevance by required skills, dates, an entry's only text and
credentials, as the fitter ranks pieces to drop; the skills line without near-duplicates."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pipeline.compile.content import build_view
from pipeline.compile.fit import drop_ranks
from pipeline.inputs import load_posting, load_resume
from pipeline.jsonresume import Resume
from pipeline.models import TailoredResume
from pipeline.parse import parse_posting
from pipeline.rewrite import rewrite_resume
from pipeline.rewrite.skills_line import near_duplicates
from pipeline.score import score_match

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
TODAY = date(2026, 6, 1)


def tailor(resume: Resume, posting: str) -> TailoredResume:
    analysis = parse_posting(posting)
    return rewrite_resume(resume, analysis, score_match(resume, analysis, today=TODAY),
                          today=TODAY)


def ranks(tailored: TailoredResume) -> dict[str, float]:
    view = build_view(tailored.resume)
    return drop_ranks([path for _, path in view.units()], tailored.relevance, view.texts())


def demo() -> TailoredResume:
    return tailor(load_resume(EXAMPLES / "resumes" / "senior-backend.json"),
                  load_posting(EXAMPLES / "postings" / "backend-engineer.md"))


def test_credentials_naming_required_skills_outrank_an_old_unrelated_student_job() -> None:
    tailored = demo()
    rank = ranks(tailored)
    student = [p for p in rank if p.startswith("work[3].")]  # 2012–2014, PHP and help desk
    assert student
    for cert in ("certificates[0]", "certificates[1]"):  # AWS, Kubernetes: both required
        assert all(rank[cert] > rank[p] for p in student), cert
    assert tailored.reasons["certificates[0]"].startswith("AWS (required)")
    assert tailored.reasons["work[3].highlights[0]"] == "no required skill, 2012–2014"


def test_monitoring_and_kafka_bullets_outrank_an_old_hl7_bullet() -> None:
    tailored = demo()
    rank = ranks(tailored)
    job = tailored.resume.work[0].highlights
    kafka = f"work[0].highlights[{next(i for i, h in enumerate(job) if 'Kafka' in h)}]"
    grafana = f"work[0].highlights[{next(i for i, h in enumerate(job) if 'Grafana' in h)}]"
    old = tailored.resume.work[2].highlights
    hl7 = f"work[2].highlights[{next(i for i, h in enumerate(old) if 'HL7' in h)}]"
    assert rank[kafka] > rank[hl7] and rank[grafana] > rank[hl7]
    assert tailored.reasons[grafana].startswith("Monitoring (required)")


def test_summary_only_jobs_are_not_all_trimmed_before_volunteer_entries() -> None:
    posting = ("# Backend Engineer\n\n## Requirements\n- Python and PostgreSQL\n"
               "- Kubernetes\n")
    data: dict[str, Any] = {
        "basics": {"name": "Ana", "label": "Engineer"},
        "work": [
            {"name": "Nowco", "position": "Engineer", "startDate": "2021-01",
             "summary": "Built billing services in Python on Kubernetes."},
            {"name": "Midco", "position": "Engineer", "startDate": "2017-01",
             "endDate": "2020-12", "summary": "Ran the reporting database and its backups."},
        ],
        "volunteer": [{"organization": "Food Bank", "position": "Helper",
                       "startDate": "2019-01",
                       "summary": "Sorted donations and drove the delivery van on weekends."}],
    }
    rank = ranks(tailor(Resume.model_validate(data), posting))
    volunteer = max(rank["volunteer[0]"], rank["volunteer[0].summary"])
    assert rank["work[0].summary"] > volunteer
    assert rank["work[1].summary"] > volunteer  # an entry's only text, five years back


def test_skills_line_drops_near_duplicates() -> None:
    assert near_duplicates(["REST APIs", "APIs", "CI/CD pipelines", "CI/CD"]) == {
        1: "REST APIs", 3: "CI/CD pipelines"}
    # different skills that merely share letters stay
    assert near_duplicates(["Java", "JavaScript", "C", "Objective-C", "C++", "Go",
                            "Google Cloud", ".NET", "ASP.NET"]) == {}
    tailored = demo()
    keywords = [k.lower() for group in tailored.resume.skills for k in group.keywords]
    assert len(keywords) == len(set(keywords))
    for short, longer in (("apis", "rest apis"), ("ci/cd", "ci/cd pipelines")):
        assert not (short in keywords and longer in keywords), short
