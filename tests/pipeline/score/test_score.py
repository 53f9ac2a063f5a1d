"""The score stage: evidence paths, the rate as written, the ceiling, years and degrees."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pipeline.jsonresume import Resume
from pipeline.models import EducationLevel, MatchReport
from pipeline.parse import parse_posting
from pipeline.score import score_match
from pipeline.score.resume_profile import degree_level, years_of_experience

POSTING = """# Backend Engineer

## Requirements
- 4+ years of experience with Python and PostgreSQL
- Kubernetes and Terraform in production
- Bachelor's degree in Computer Science
- Strong communication skills

## Nice to have
- Rust
"""

TODAY = date(2026, 1, 1)


def resume(**parts: Any) -> Resume:
    base: dict[str, Any] = {
        "basics": {"label": "Backend Engineer", "summary": "Backend engineer who ships."},
        "work": [
            {"name": "Acme", "position": "Software Engineer", "startDate": "2019-01",
             "endDate": "2021-01",
             "description": "Ran Terraform for the platform team.",
             "highlights": ["Built APIs in Python", "Tuned Postgres queries"]},
            {"name": "Beta", "position": "Backend Engineer", "startDate": "2020-07",
             "highlights": ["Presented the design; communication with five teams"]},
        ],
        "skills": [{"name": "Languages", "keywords": ["Python", "SQL"]}],
        "education": [{"institution": "U", "studyType": "BSc", "area": "Computer Science"}],
    }
    base.update(parts)
    return Resume.model_validate(base)


def report(res: Resume) -> MatchReport:
    return score_match(res, parse_posting(POSTING), today=TODAY)


def by_name(rep: MatchReport) -> dict[str, Any]:
    return {s.name: s for s in rep.skills}


def test_evidence_paths_and_surfaced_flags() -> None:
    skills = by_name(report(resume()))
    paths = {e.path: e.surfaced for e in skills["Python"].evidence}
    assert paths == {"work[0].highlights[0]": True, "skills[0].keywords[0]": True}
    assert [(e.path, e.surfaced) for e in skills["Terraform"].evidence] == [
        ("work[0].description", False)]
    assert skills["PostgreSQL"].resume_forms == ["Postgres"]


def test_matched_means_named_in_a_surfaced_place_in_the_postings_words() -> None:
    skills = by_name(report(resume()))
    assert skills["Python"].matched
    assert not skills["Terraform"].matched  # only in a description
    assert not skills["PostgreSQL"].matched  # surfaced, but as "Postgres"
    assert not skills["Kubernetes"].matched and not skills["Kubernetes"].evidence


def test_ceiling_counts_hidden_and_reworded_evidence_only() -> None:
    rep = report(resume())
    assert rep.ceiling > rep.match_rate
    surfaced = resume(skills=[{"name": "All", "keywords": ["Python", "PostgreSQL", "Terraform"]}])
    better = report(surfaced)
    assert better.match_rate > rep.match_rate
    assert better.match_rate <= rep.ceiling + 1e-9
    # Kubernetes is lacking entirely: even the ceiling stays below 1
    assert rep.ceiling < 1.0


def test_breakdown_weights_and_parts() -> None:
    rep = report(resume())
    parts = {c.name: c for c in rep.breakdown}
    assert set(parts) == {"hard_skills", "soft_skills", "title", "education", "years"}
    assert abs(sum(c.weight for c in rep.breakdown) - 1.0) < 1e-6
    assert parts["hard_skills"].weight == max(c.weight for c in rep.breakdown)
    assert parts["title"].score == 1.0 and rep.title_match
    assert parts["education"].score == 1.0
    assert parts["years"].score == 1.0  # 2019-01 → today, overlaps merged: 7 years
    assert rep.match_rate == pytest.approx(sum(c.weight * c.score for c in rep.breakdown), abs=1e-3)


def test_missing_parts_drop_out_of_the_weights() -> None:
    analysis = parse_posting("Python developer\nPython and Django.\n")
    rep = score_match(resume(), analysis, today=TODAY)
    assert {c.name for c in rep.breakdown} == {"hard_skills", "title"}


def test_skills_ordered_by_importance() -> None:
    rep = report(resume())
    values = [s.importance for s in rep.skills]
    assert values == sorted(values, reverse=True)
    assert rep.missing and all(not s.matched for s in rep.missing)


def test_years_merge_overlaps_and_open_end() -> None:
    res = resume()
    assert years_of_experience(res, today=TODAY) == pytest.approx(7.0, abs=0.05)
    res = resume(work=[{"startDate": "2020", "endDate": "2020"},
                       {"startDate": "2022-01-01", "endDate": "2022-06-30"}])
    assert years_of_experience(res, today=TODAY) == pytest.approx(1.5, abs=0.05)
    assert years_of_experience(resume(work=[{"name": "x"}]), today=TODAY) is None


def test_a_students_job_held_while_studying_is_not_experience() -> None:
    studies = [{"institution": "OSU", "area": "Finance", "startDate": "2013-09",
                "endDate": "2017-05"}]
    work = [{"name": "Scioto", "position": "Financial Analyst", "startDate": "2017-06",
             "endDate": "2020-06"},
            {"name": "OSU", "position": "Student Teller", "startDate": "2015-09",
             "endDate": "2017-05"}]
    assert years_of_experience(resume(work=work, education=studies),
                               today=TODAY) == pytest.approx(3.1, abs=0.05)
    # Counted: a student's job outside the studies, or any other job held during them
    # (a full-time role beside evening classes).
    assert years_of_experience(resume(work=work), today=TODAY) == pytest.approx(4.8, abs=0.05)
    work[1]["position"] = "Bank Teller"
    assert years_of_experience(resume(work=work, education=studies),
                               today=TODAY) == pytest.approx(4.8, abs=0.05)
    work[1]["position"] = "Marketing Assistant (part-time)"
    assert years_of_experience(resume(work=work, education=studies),
                               today=TODAY) == pytest.approx(3.1, abs=0.05)


@pytest.mark.parametrize(
    ("study_type", "level"),
    [
        ("BSc", EducationLevel.bachelor),
        ("Bachelor of Science", EducationLevel.bachelor),
        ("B.A.", EducationLevel.bachelor),
        ("M.S.", EducationLevel.master),
        ("MSc", EducationLevel.master),
        ("MBA", EducationLevel.master),
        ("PhD", EducationLevel.doctorate),
        ("Associate of Applied Science", EducationLevel.associate),
        ("High School Diploma", EducationLevel.high_school),
        ("Bootcamp certificate", None),
    ],
)
def test_degree_levels(study_type: str, level: EducationLevel | None) -> None:
    assert degree_level(study_type) == level


def test_education_below_the_ask_scores_lower() -> None:
    low = resume(education=[{"studyType": "High School Diploma"}])
    parts = {c.name: c.score for c in report(low).breakdown}
    assert parts["education"] == 0.0


def test_a_lone_keyword_is_evidence() -> None:
    devops = resume(skills=[{"name": "Languages", "keywords": ["Go", "Bash", "Python"]}])
    posting = "DevOps Engineer\nRequirements:\n- Services in Go on Kubernetes\n"
    skills = by_name(score_match(devops, parse_posting(posting), today=TODAY))
    assert skills["Go"].matched
    assert [e.path for e in skills["Go"].evidence] == ["skills[0].keywords[0]"]


def test_years_in_the_line_of_work_leave_out_another_trade() -> None:
    from pipeline.score.resume_facts import line_of_work_years

    nurse = resume(work=[
        {"name": "Providence", "position": "Registered Nurse, Telemetry", "startDate": "2022-07"},
        {"name": "Fred Meyer", "position": "Pharmacy Technician", "startDate": "2016-03",
         "endDate": "2019-08"},
    ])
    today = date(2026, 12, 1)
    assert line_of_work_years(nurse, "Registered Nurse, Telemetry", set(), today=today) == 4
    # a job whose lines evidence what the posting asks counts whatever its title
    assert line_of_work_years(nurse, "Registered Nurse, Telemetry", {1}, today=today) == 7
    # titles sharing only a role noun are not one line of work
    sales = resume(work=[
        {"name": "A", "position": "Marketing Manager", "startDate": "2022-01"},
        {"name": "B", "position": "Sales Manager", "startDate": "2018-01", "endDate": "2021-12"},
    ])
    assert line_of_work_years(sales, "Marketing Manager", set(), today=today) == 4
