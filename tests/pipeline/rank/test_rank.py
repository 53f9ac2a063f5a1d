"""The rank stage: one resume against many postings."""

from __future__ import annotations

import time
from datetime import date

from pipeline.jsonresume import Resume
from pipeline.models import RankedPosting
from pipeline.rank import rank_postings

RESUME = Resume.model_validate({
    "basics": {"label": "Data Engineer"},
    "work": [{"position": "Data Engineer", "startDate": "2018-01",
              "highlights": ["Built Spark and Airflow pipelines in Python on AWS"]}],
    "skills": [{"name": "Data", "keywords": ["Python", "Apache Spark", "Airflow", "SQL", "AWS"]}],
})

POSTINGS = [
    ("frontend", "Frontend Engineer\nRequirements:\nReact, TypeScript, CSS and Figma.\n"),
    ("data", "Data Engineer\nRequirements:\nPython, SQL, Airflow and Spark on AWS.\n"),
    ("mixed", "Backend Engineer\nRequirements:\nPython and Kubernetes, some SQL.\n"),
    ("empty", "   "),
]


def test_best_fit_first_and_empty_items_kept() -> None:
    ranked = rank_postings(RESUME, POSTINGS, today=date(2026, 1, 1))
    assert [r.id for r in ranked] == ["data", "mixed", "frontend", "empty"]
    assert ranked[0].match_rate > ranked[1].match_rate > ranked[2].match_rate
    assert ranked[-1].match_rate == 0.0
    assert ranked[0].title == "Data Engineer"
    assert "Kubernetes" in ranked[1].top_missing


def test_progress_is_reported_per_posting() -> None:
    seen: list[tuple[int, str]] = []
    rank_postings(RESUME, iter(POSTINGS), on_progress=lambda n, pid: seen.append((n, pid)))
    assert seen == [(1, "frontend"), (2, "data"), (3, "mixed"), (4, "empty")]


def test_hundreds_of_postings_rank_in_seconds() -> None:
    many = [(f"{name}-{i}", text) for i in range(100) for name, text in POSTINGS[:3]]
    rank_postings(RESUME, many[:3])  # warm the matcher and tokenizer
    started = time.perf_counter()
    ranked = rank_postings(RESUME, many)
    assert len(ranked) == 300
    assert time.perf_counter() - started < 10.0  # ~0.3 s here; generous for a slow CI box


DEVELOPER = Resume.model_validate({
    "basics": {"label": "Senior Full-Stack JavaScript Developer"},
    "work": [{"position": "Senior Full-Stack Developer", "startDate": "2016-01",
              "highlights": ["Built React and TypeScript front ends on Node.js GraphQL APIs",
                             "Ran PostgreSQL, MongoDB and Redis on AWS in Docker"]}],
    "skills": [{"name": "Web", "keywords": [
        "JavaScript", "TypeScript", "React", "Redux", "Node.js", "Express", "GraphQL",
        "PostgreSQL", "MongoDB", "Redis", "Docker", "AWS", "Git", "Jest", "Cypress"]}],
    "languages": [{"language": "English", "fluency": "Fluent"}],
})
HAS = ["JavaScript", "TypeScript", "React", "Redux", "Node.js", "Express", "GraphQL",
       "PostgreSQL", "MongoDB", "Redis", "Docker", "AWS", "Git", "Jest", "Cypress"]
LACKS = ["Kubernetes", "Terraform", "Apache Kafka", "Java", "Elasticsearch"]


def _posting(title: str, skills: list[str]) -> str:
    return f"{title}\nRequirements:\n" + "".join(f"- {skill}\n" for skill in skills)


def _by_id(ranked: list[RankedPosting]) -> dict[str, RankedPosting]:
    return {r.id: r for r in ranked}


def test_a_posting_asking_little_does_not_outrank_one_asking_much_that_fits() -> None:
    little = ("one-ask", _posting("Software Developer", ["React"]))
    much = ("twenty-asks", _posting("Software Developer", HAS + LACKS))
    ranked = rank_postings(DEVELOPER, [little, much], today=date(2026, 1, 1))
    got = _by_id(ranked)
    # the match rate prefers the posting asking for one thing: it is fully met
    assert got["one-ask"].match_rate > got["twenty-asks"].match_rate
    assert [r.id for r in ranked] == ["twenty-asks", "one-ask"]
    assert got["twenty-asks"].fit > got["one-ask"].fit
    parts, small = got["twenty-asks"].fit_parts, got["one-ask"].fit_parts
    assert parts is not None and small is not None
    assert parts.centrality > small.centrality  # far more of the candidate's core is used
    assert "Kubernetes" in got["twenty-asks"].top_missing


def test_own_profession_beats_an_unrelated_one_sharing_a_generic_skill() -> None:
    own = ("developer", _posting("Full-Stack JavaScript Developer",
                                 ["React", "Node.js", "TypeScript", *LACKS]))
    other = ("housekeeper", _posting("Hotel Housekeeper", ["Fluent English"]))
    ranked = rank_postings(DEVELOPER, [other, own], today=date(2026, 1, 1))
    got = _by_id(ranked)
    # all the housekeeper posting asks is English, which the resume has
    assert got["housekeeper"].match_rate > got["developer"].match_rate
    assert [r.id for r in ranked] == ["developer", "housekeeper"]
    parts = got["housekeeper"].fit_parts
    assert parts is not None and parts.role < 0.2
    assert any("hospitality" in reason for reason in got["housekeeper"].fit_reasons)


def test_fit_is_deterministic_and_parts_are_bounded() -> None:
    first = rank_postings(RESUME, POSTINGS, today=date(2026, 1, 1))
    again = rank_postings(RESUME, POSTINGS, today=date(2026, 1, 1))
    assert [r.model_dump() for r in first] == [r.model_dump() for r in again]
    for item in first[:-1]:
        assert item.fit_parts is not None
        assert all(0.0 <= v <= 1.0 for v in item.fit_parts.model_dump().values())
    assert first[-1].id == "empty" and first[-1].fit == 0.0 and first[-1].fit_parts is None
