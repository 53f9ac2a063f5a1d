"""The rewrite stage with the local provider, and the guard over any provider's output."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import ProviderError
from pipeline.inputs import load_posting, load_resume
from pipeline.jsonresume import Resume
from pipeline.models import EditKind, JobAnalysis, MatchReport, TailoredResume, Tone, Usage
from pipeline.parse import parse_posting
from pipeline.rewrite import rewrite_resume
from pipeline.rewrite.guard import Guard
from pipeline.rewrite.rewriter import (
    BulletRequest,
    LocalRewriter,
    Rewriter,
    SummaryFacts,
    summary_facts,
)
from pipeline.schema import schema_errors
from pipeline.score import score_match

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
TODAY = date(2026, 6, 1)

POSTING = """Backend Engineer

## Requirements
- 5+ years of experience building backend services in Python
- Deep experience with PostgreSQL and Kubernetes
- Experience with Kafka

## Nice to have
- Terraform
"""

MASTER = {
    "basics": {"name": "Ana Ruiz", "label": "Engineer", "summary": "I like databases."},
    "work": [
        {"name": "Oldco", "position": "Junior Developer", "startDate": "2015-01",
         "endDate": "2018-12",
         "highlights": ["Wrote PHP reports for the sales team",
                        "Tuned Postgres queries for the billing system, saving 30%"]},
        {"name": "Nowco", "position": "Backend Engineer", "startDate": "2019-01",
         "highlights": ["Organised the office book club",
                        "Ran Python services on k8s serving 2M requests a day",
                        "Moved the billing ledger to Postgres with zero downtime",
                        "Built event consumers on Kafka for reconciliation"]},
    ],
    "skills": [
        {"name": "Tools", "keywords": ["Excel", "Docker", "Postgres", "Kafka"]},
        {"name": "Languages", "keywords": ["PHP", "Python"]},
    ],
    "education": [{"institution": "State University", "studyType": "Bachelor",
                   "area": "Computer Science", "endDate": "2014"}],
}


Staged = tuple[Resume, JobAnalysis, MatchReport]


@pytest.fixture(scope="module")
def staged() -> tuple[Resume, JobAnalysis, MatchReport]:
    resume = Resume.model_validate(MASTER)
    analysis = parse_posting(POSTING)
    return resume, analysis, score_match(resume, analysis, today=TODAY)


def _tailor(staged: Staged, rewriter: Rewriter | None = None) -> TailoredResume:
    resume, analysis, report = staged
    return rewrite_resume(resume, analysis, report, today=TODAY, rewriter=rewriter)


def test_jobs_most_recent_first_bullets_by_relevance(staged: Staged) -> None:
    out = _tailor(staged).resume
    assert [w.name for w in out.work] == ["Nowco", "Oldco"]
    first = out.work[0].highlights
    assert first[-1] == "Organised the office book club"  # nothing the posting asks for
    assert any("Kafka" in h for h in first[:3])
    # every job's title and dates kept
    assert out.work[1].position == "Junior Developer" and out.work[1].endDate == "2018-12"


def test_terminology_only_for_evidenced_skills(staged: Staged) -> None:
    tailored = _tailor(staged)
    text = " ".join(h for w in tailored.resume.work for h in w.highlights)
    assert "Moved the billing ledger to PostgreSQL with zero downtime" in text
    assert "Ran Python services on Kubernetes serving 2M requests a day" in text
    assert "Postgres " not in text and "k8s" not in text
    swaps = [p for p in tailored.provenance if p.edit == EditKind.terminology]
    assert any(p.detail == "Postgres → PostgreSQL" for p in swaps)
    assert any(p.detail == "k8s → Kubernetes" for p in swaps)
    # Terraform is asked for but not evidenced: never written in
    assert "Terraform" not in tailored.resume.model_dump_json()


def test_skills_matched_first_and_evidenced_ones_surfaced(staged: Staged) -> None:
    skills = _tailor(staged).resume.skills
    tools = next(s for s in skills if s.name == "Tools")
    assert tools.keywords[:2] == ["PostgreSQL", "Kafka"] or tools.keywords[:2] == ["Kafka",
                                                                                  "PostgreSQL"]
    assert tools.keywords[-1] in {"Excel", "Docker"}
    listed = {k for s in skills for k in s.keywords}
    assert "Kubernetes" in listed  # evidenced by a bullet ("k8s"), so named in skills


def test_a_surfaced_skill_joins_the_group_it_shares_a_word_with() -> None:
    master = Resume.model_validate({
        "basics": {"name": "Priya"},
        "work": [{"name": "Brightline", "position": "Marketing Manager",
                  "startDate": "2019-01",
                  "highlights": ["Ran paid social and Marketo nurture programs for B2B SaaS"]}],
        "skills": [{"name": "Marketing automation", "keywords": ["Marketo", "HubSpot"]},
                   {"name": "Paid media", "keywords": ["Google Ads", "Meta Ads"]}],
    })
    analysis = parse_posting("## Requirements\n- Marketo and paid social\n- B2B SaaS\n"
                             "- Google Ads\n")
    report = score_match(master, analysis, today=TODAY)
    tailored = rewrite_resume(master, analysis, report, today=TODAY).resume
    groups = {g.name: g.keywords for g in tailored.skills}
    assert "paid social" in groups["Paid media"]  # not under Marketing automation
    # B2B is the market the work served: said in the summary's lead, not listed as a skill
    assert not any("B2B" in k for keywords in groups.values() for k in keywords)
    assert "years of experience in B2B" in (tailored.basics.summary or "")


def test_summary_from_facts_only(staged: Staged) -> None:
    tailored = _tailor(staged)
    summary = tailored.resume.basics.summary or ""
    # most recent title; 2015-01 .. 2026-06 is 11 whole years
    assert summary.startswith("Backend Engineer with 11 years of experience")
    assert "most recently at Nowco" in summary
    assert "Terraform" not in summary
    entry = next(p for p in tailored.provenance if p.output_path == "basics.summary")
    assert entry.edit == EditKind.summary
    assert "work[1].position" in entry.source_paths


def test_summary_tone() -> None:
    facts = SummaryFacts(title="Nurse", employer="St. Mary", years=4, skills=("Epic",),
                         soft_skills=(), education="BSN", tone=Tone.formal)
    formal = LocalRewriter().write_summary(facts)
    assert formal == ("Nurse with 4 years of professional experience, most recently at St. Mary."
                      " Expertise in Epic. Holds a BSN.")
    casual = LocalRewriter().write_summary(
        SummaryFacts(**{**facts.__dict__, "tone": Tone.casual}))
    assert casual.startswith("Nurse with 4 years of experience") and "Day to day: Epic." in casual


def test_every_output_line_traces_to_its_source(staged: Staged) -> None:
    resume, _, _ = staged
    tailored = _tailor(staged)
    guard = Guard(resume)
    master = resume.to_json_dict()
    out = tailored.resume.to_json_dict()
    bullets = [p for p in tailored.provenance if ".highlights[" in p.output_path]
    assert len(bullets) == sum(len(w.highlights) for w in tailored.resume.work)
    for entry in bullets:
        line = _at(out, entry.output_path)
        source = _at(master, entry.source_paths[0])
        assert guard.problem(line, [source]) is None
        assert 0.0 <= tailored.relevance[entry.output_path] <= 1.0


def _at(doc: dict[str, Any], path: str) -> str:
    node: Any = doc
    for key, index in re.findall(r"(\w+)(?:\[(\d+)\])?", path):
        node = node[key]
        if index:
            node = node[int(index)]
    assert isinstance(node, str)
    return node


class _Fabricator:
    """A provider that embellishes every line: the guard must undo all of it."""

    name = "fabricator"

    def rewrite_bullets(self, requests: Sequence[BulletRequest]) -> list[str]:
        return [f"{r.text} using Terraform at Google, 3x faster" for r in requests]

    def write_summary(self, facts: SummaryFacts) -> str:
        return f"Principal engineer with {(facts.years or 0) + 5} years at Google."

    def usage(self) -> list[Usage]:
        return [Usage(provider="fabricator", model="m", requests=1)]


def test_guard_undoes_a_fabricating_provider(staged: Staged) -> None:
    local = _tailor(staged)
    fabricated = _tailor(staged, rewriter=_Fabricator())
    assert fabricated.resume.work == local.resume.work  # every line fell back
    assert fabricated.resume.basics.summary == local.resume.basics.summary
    bullets = sum(len(w.highlights) for w in local.resume.work)
    assert len(fabricated.rejections) == bullets + 1
    assert {r.provider for r in fabricated.rejections} == {"fabricator"}
    assert all(r.reason for r in fabricated.rejections)
    assert fabricated.provider == "fabricator" and fabricated.usage[0].requests == 1


class _Polisher(LocalRewriter):
    """A provider whose rewording keeps every fact: accepted, recorded as rewritten."""

    name = "polisher"

    def rewrite_bullets(self, requests: Sequence[BulletRequest]) -> list[str]:
        return [r.text.replace("Moved", "Migrated") for r in requests]


def test_faithful_provider_output_is_kept(staged: Staged) -> None:
    tailored = _tailor(staged, rewriter=_Polisher())
    assert tailored.rejections == []
    assert any(h.startswith("Migrated the billing ledger to PostgreSQL")
               for h in tailored.resume.work[0].highlights)
    rewritten = [p for p in tailored.provenance if p.edit == EditKind.rewritten]
    assert len(rewritten) == 1 and rewritten[0].provider == "polisher"


class _Short(LocalRewriter):
    name = "short"

    def rewrite_bullets(self, requests: Sequence[BulletRequest]) -> list[str]:
        return [r.text for r in requests][:-1]


def test_provider_answering_too_few_lines_is_an_error(staged: Staged) -> None:
    with pytest.raises(ProviderError):
        _tailor(staged, rewriter=_Short())


def test_summary_facts_years_and_degree(staged: Staged) -> None:
    resume, analysis, report = staged
    facts = summary_facts(resume, analysis, report, TODAY)
    assert (facts.title, facts.employer, facts.years) == ("Backend Engineer", "Nowco", 11)
    assert facts.education == "Bachelor in Computer Science"
    assert "PostgreSQL" in facts.skills and "Terraform" not in facts.skills


@pytest.mark.parametrize("resume_name",
                         sorted(p.name for p in (EXAMPLES / "resumes").glob("*.*")))
@pytest.mark.parametrize("posting_name", sorted(p.name for p in (EXAMPLES / "postings").iterdir()))
def test_examples_tailor_to_valid_json_resume(resume_name: str, posting_name: str) -> None:
    resume = load_resume(EXAMPLES / "resumes" / resume_name)
    analysis = parse_posting(load_posting(EXAMPLES / "postings" / posting_name))
    before = score_match(resume, analysis, today=TODAY)
    tailored = rewrite_resume(resume, analysis, before, today=TODAY)
    assert schema_errors(tailored.resume.to_json_dict()) == []
    assert tailored.rejections == []  # the local provider's own lines always pass
    after = score_match(tailored.resume, analysis, today=TODAY)
    assert after.match_rate >= before.match_rate - 1e-9
    assert after.match_rate <= before.ceiling + 1e-9  # no skill the resume lacks was added
    assert tailored.resume.basics.name == resume.basics.name
    assert [w.startDate for w in tailored.resume.work] == sorted(
        (w.startDate or "" for w in resume.work), reverse=True)


def test_terminology_leaves_grammar_alone() -> None:
    from pipeline.models import SkillKind, SkillMatch, SkillRequirement
    from pipeline.rewrite.relevance import align_terms, terminology

    analysis = JobAnalysis(text="", hard_skills=[
        SkillRequirement(name="APIs", kind=SkillKind.hard, surface_forms=["APIs"],
                         importance=0.5, required=True),
        SkillRequirement(name="REST APIs", kind=SkillKind.hard, surface_forms=["REST APIs"],
                         importance=0.5, required=True),
        SkillRequirement(name="PostgreSQL", kind=SkillKind.hard,
                         surface_forms=["PostgreSQL"], importance=0.5, required=True),
    ])
    report = MatchReport(match_rate=0, ceiling=0, breakdown=[], skills=[
        SkillMatch(name=name, kind=SkillKind.hard, importance=0.5, required=True,
                   matched=False, resume_forms=[form],
                   evidence=[{"path": "work[0].highlights[0]", "text": form,
                              "surfaced": True}])
        for name, form in (("APIs", "API"), ("REST APIs", "REST"), ("PostgreSQL", "postgres"))
    ])
    swaps = terminology(analysis, report)
    assert swaps == {"postgres": "PostgreSQL"}
    assert align_terms("Built an API and REST webhooks on postgres", swaps) == (
        "Built an API and REST webhooks on PostgreSQL", ["postgres → PostgreSQL"])


@pytest.mark.parametrize(("data", "summary"), [
    ({}, None),
    ({"basics": {"summary": "Python person"}}, "Skilled in Python."),
    ({"basics": {"label": "Developer"}, "work": [{"name": "Acme", "highlights": ["Go on k8s"]}]},
     "Developer, most recently at Acme. Skilled in Kubernetes and Go."),  # Go: nice to have
])
def test_sparse_resumes(data: dict[str, Any], summary: str | None) -> None:
    resume = Resume.model_validate(data)
    analysis = parse_posting(POSTING + "- Go\n")
    tailored = rewrite_resume(resume, analysis, score_match(resume, analysis), today=TODAY)
    assert tailored.resume.basics.summary == summary
    assert tailored.rejections == []
    assert schema_errors(tailored.resume.to_json_dict()) == []


def test_the_summary_names_skills_as_a_sentence_would_and_never_by_a_duty() -> None:
    master = Resume.model_validate({
        "basics": {"name": "Dana"},
        "work": [{"name": "Providence", "position": "Registered Nurse", "startDate": "2022-07",
                  "highlights": ["Monitor vital signs and titrate drips for 5 patients",
                                 "Chart all care in Epic"]},
                 {"name": "Fred Meyer", "position": "Pharmacy Technician",
                  "startDate": "2016-03", "endDate": "2019-08",
                  "highlights": ["Filled 300 prescriptions a day"]}],
    })
    analysis = parse_posting("# Registered Nurse\n\n## Responsibilities\n"
                             "- Monitor vital signs\n- Document care in Epic\n")
    report = score_match(master, analysis, today=TODAY)
    summary = rewrite_resume(master, analysis, report, today=TODAY).resume.basics.summary or ""
    assert "Monitor vital signs" not in summary
    assert "vital signs monitoring" in summary
    # 2022-07 to 2026-06 as a nurse; the pharmacy years are another line of work
    assert summary.startswith("Registered Nurse with 3 years of experience")
