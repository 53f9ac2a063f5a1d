"""The three states of a skill (shown, evidenced, absent) and the evidence behind them: names,
word forms (titles, "Mentored") and related tools (Grafana for Monitoring)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pipeline.jsonresume import Resume
from pipeline.models import EvidenceBasis, MatchReport, SkillMatch, SkillState
from pipeline.parse import parse_posting
from pipeline.rank import rank_postings
from pipeline.score import score_match
from pipeline.score.word_forms import FormPattern, Words, stem

TODAY = date(2026, 1, 1)

SRE_POSTING = """# Site Reliability Engineer

## Requirements
- Site Reliability Engineering for payment systems
- PostgreSQL and Kubernetes in production
- Monitoring and alerting
- You will be mentoring junior engineers
- Clear communication

## Nice to have
- Snowflake
"""


def sre_resume(**parts: Any) -> Resume:
    base: dict[str, Any] = {
        "basics": {"name": "Ada", "label": "Staff Site Reliability Engineer"},
        "work": [{
            "name": "Acme", "position": "Staff Site Reliability Engineer",
            "startDate": "2019-01",
            "highlights": ["Mentored 4 engineers through their first on-call rotations",
                           "Built SLO dashboards in Grafana for 40 services",
                           "Moved the ledger to Postgres on Kubernetes",
                           "Communicated incident reviews to the whole company"],
        }],
        "skills": [{"name": "Data", "keywords": ["Postgres", "Kubernetes"]}],
    }
    base.update(parts)
    return Resume.model_validate(base)


def skills(report: MatchReport) -> dict[str, SkillMatch]:
    return {s.name: s for s in report.skills}


def sre_report(resume: Resume | None = None) -> MatchReport:
    return score_match(resume or sre_resume(), parse_posting(SRE_POSTING), today=TODAY)


def test_titles_evidence_a_skill_in_another_form_of_its_words() -> None:
    sre = skills(sre_report())["Site Reliability Engineering"]
    assert sre.state == SkillState.evidenced
    paths = {e.path: e for e in sre.evidence}
    assert {"basics.label", "work[0].position"} <= paths.keys()
    assert paths["work[0].position"].basis == EvidenceBasis.word_form
    assert paths["work[0].position"].text == "Site Reliability Engineer"


def test_mentored_evidences_mentoring_and_communicated_communication() -> None:
    found = skills(sre_report())
    for name, path in (("mentoring", "work[0].highlights[0]"),
                       ("communication", "work[0].highlights[3]")):
        assert found[name].state == SkillState.evidenced, name
        assert [e.path for e in found[name].evidence] == [path]
    assert found["mentoring"] not in sre_report().missing


def test_three_states_and_only_absent_is_missing() -> None:
    rep = sre_report()
    found = skills(rep)
    assert found["Kubernetes"].state == SkillState.shown and found["Kubernetes"].matched
    # named as "Postgres" in three places: evidenced, not missing
    assert found["PostgreSQL"].state == SkillState.evidenced and not found["PostgreSQL"].matched
    assert found["Snowflake"].state == SkillState.absent
    assert [s.name for s in rep.missing] == [s.name for s in rep.skills
                                             if s.state == SkillState.absent]
    assert "PostgreSQL" not in {s.name for s in rep.missing}
    assert {s.name for s in rep.evidenced} >= {"PostgreSQL", "mentoring"}


def test_a_related_tool_evidences_its_umbrella_skill_without_counting_as_shown() -> None:
    rep = sre_report()
    monitoring = skills(rep)["Monitoring"]
    assert monitoring.state == SkillState.evidenced
    assert [(e.path, e.text, e.basis) for e in monitoring.evidence] == [
        ("work[0].highlights[1]", "Grafana", EvidenceBasis.related)]
    assert monitoring.resume_forms == []  # nothing to swap: the resume never says it
    # outside the ceiling: no truthful rewording writes the word in
    without = sre_report(sre_resume(work=[{"name": "Acme", "position": "Engineer",
                                           "highlights": ["Built dashboards"]}]))
    assert skills(without)["Monitoring"].state == SkillState.absent


def test_names_are_not_stemmed_and_one_word_skills_need_a_verb_form() -> None:
    assert stem("Engineering") == stem("Engineer")
    assert stem("Development") == stem("Developer")
    assert stem("Analysis") == stem("Analyst")
    assert stem("Design") == stem("Designer")
    assert stem("leadership") == stem("led")
    assert FormPattern.of("Express", hard=True) is None  # a name: "expressed" is no evidence
    accounting = FormPattern.of("Accounting", hard=True)
    assert accounting is not None
    assert accounting.find(Words.of("Closed 500 enterprise accounts")) is None
    monitoring = FormPattern.of("Monitoring", hard=True)
    assert monitoring is not None and monitoring.find(Words.of("Monitored 40 services"))
    leadership = FormPattern.of("leadership", hard=False)
    assert leadership is not None
    assert leadership.find(Words.of("Ran lead generation campaigns")) is None
    assert leadership.find(Words.of("Led the migration")) == (0, 3)


def test_reports_stored_before_states_get_theirs() -> None:
    old = {"name": "PostgreSQL", "kind": "hard", "importance": 0.9, "required": True,
           "matched": False, "evidence": [{"path": "skills[0].keywords[0]", "text": "Postgres",
                                           "surfaced": True}]}
    assert SkillMatch.model_validate(old).state == SkillState.evidenced
    assert SkillMatch.model_validate({**old, "evidence": []}).state == SkillState.absent


def test_rank_top_missing_lists_only_absent_skills() -> None:
    (ranked,) = rank_postings(sre_resume(), [("sre", SRE_POSTING)], today=TODAY)
    assert "PostgreSQL" not in ranked.top_missing
    assert "mentoring" not in ranked.top_missing
    assert "Site Reliability Engineering" not in ranked.top_missing


def test_a_profile_scoring_many_postings_answers_as_a_fresh_one() -> None:
    """The profile keeps each skill's evidence for the next posting that words it the same:
    a report is the same as one from a profile of its own, and changing a report's lists
    leaves the kept answer alone."""
    from pipeline.score.match import score_profile
    from pipeline.score.resume_profile import build_profile

    resume = sre_resume()
    postings = [SRE_POSTING, SRE_POSTING.replace("Monitoring", "monitoring"),
                "Platform Engineer\n\nRequirements\n- Kubernetes and Postgres\n- Grafana\n"]
    shared = build_profile(resume, today=TODAY)
    for text in postings * 2:
        analysis = parse_posting(text)
        report = score_profile(shared, analysis)
        assert report == score_profile(build_profile(resume, today=TODAY), analysis)
        for skill in report.skills:
            skill.evidence.clear()
            skill.resume_forms.append("changed")
    assert shared.evidence  # answers were kept, and the changes above did not reach them


BI_POSTING = """# Data Analyst

## Requirements
- SQL every day
- A BI tool: Power BI or Tableau
- A degree in Finance, Accounting or Economics
"""


def bi_resume(tools: list[str]) -> Resume:
    return Resume.model_validate({
        "basics": {"name": "Dana", "label": "Data Analyst"},
        "work": [{"name": "Acme", "position": "Data Analyst", "startDate": "2020-01",
                  "highlights": ["Wrote the SQL behind 40 weekly reports"]}],
        "education": [{"institution": "OSU", "area": "Finance", "studyType": "Bachelor"}],
        "skills": [{"name": "Tools", "keywords": ["SQL", *tools]}],
    })


def test_an_alternative_the_resume_shows_covers_the_skills_offered_with_it() -> None:
    analysis = parse_posting(BI_POSTING)
    report = score_match(bi_resume(["Tableau"]), analysis, today=TODAY)
    found = skills(report)
    assert found["Tableau"].state == SkillState.shown
    assert (found["Power BI"].state, found["Power BI"].covered_by) == (SkillState.covered,
                                                                       "Tableau")
    assert found["Economics"].covered_by == "Finance"
    assert {s.name for s in report.missing} == set()
    assert {s.name for s in report.covered} == {"Power BI", "Accounting", "Economics"}
    # A covered skill's requirement is the alternative's: the rate is as if only it was asked.
    hard = next(part for part in report.breakdown if part.name == "hard_skills")
    assert hard.score == 1.0 and hard.detail.startswith("3 of 3 hard skills")
    # Ranking calls none of them missing.
    (ranked,) = rank_postings(bi_resume(["Tableau"]), [("bi", BI_POSTING)], today=TODAY)
    assert ranked.top_missing == []


def test_without_any_alternative_shown_each_stays_absent() -> None:
    report = score_match(bi_resume([]), parse_posting(BI_POSTING), today=TODAY)
    found = skills(report)
    assert found["Power BI"].state == SkillState.absent and found["Power BI"].covered_by is None
    assert found["Tableau"].state == SkillState.absent
    assert {"Power BI", "Tableau"} <= {s.name for s in report.missing}


MARKETING_POSTING = """# Demand Generation Manager

## Requirements
- Run account-based marketing (ABM) with Demandbase or 6sense
- Paid media across Google Ads and LinkedIn
- Bachelor's degree in Marketing or Education
- Experience with a learning management system (LMS)
"""


def marketing_report(highlights: list[str], keywords: list[str],
                     area: str = "Business") -> MatchReport:
    resume = Resume.model_validate({
        "basics": {"name": "Priya"},
        "work": [{"name": "Brightline", "position": "Marketing Manager",
                  "startDate": "2021-04", "highlights": highlights}],
        "education": [{"institution": "UIC", "area": area, "studyType": "BBA"}],
        "skills": [{"name": "Tools", "keywords": keywords}],
    })
    return score_match(resume, parse_posting(MARKETING_POSTING), today=TODAY)


def test_a_one_word_name_the_taxonomy_lacks_is_found_as_itself() -> None:
    # LinkedIn and 6sense come from the phrase tagger, not the taxonomy: only their own
    # names can evidence them.
    report = skills(marketing_report(
        ["Own the budget across Google Ads, LinkedIn Ads and Capterra",
         "Launched the ABM pilot with 6sense for 120 accounts"], []))
    assert report["LinkedIn"].state == SkillState.shown
    assert report["LinkedIn"].evidence[0].text == "LinkedIn"
    assert report["6sense"].state == SkillState.shown
    assert report["Demandbase"].state == SkillState.covered


def test_a_name_needs_its_own_word_not_a_longer_one() -> None:
    report = skills(marketing_report(["Grew LinkedInfluence, a newsletter"], []))
    assert report["LinkedIn"].state == SkillState.absent


def test_the_long_form_of_a_defined_acronym_shows_it() -> None:
    report = skills(marketing_report(
        ["Launched the account-based marketing pilot for 120 enterprise accounts"], []))
    assert report["ABM"].state == SkillState.shown
    assert report["ABM"].evidence[0].text == "account-based marketing"


def test_a_one_word_field_named_as_itself_is_shown() -> None:
    report = skills(marketing_report([], [], area="Education"))
    assert report["Education"].state == SkillState.shown


def test_an_lms_the_resume_names_evidences_learning_management_systems() -> None:
    report = skills(marketing_report([], ["Canvas"]))
    assert report["Learning management systems"].state == SkillState.evidenced
    assert report["Learning management systems"].evidence[0].basis == EvidenceBasis.related


NURSE_POSTING = """# Registered Nurse

## Requirements
- Bachelor of Science in Nursing (BSN)
- BLS certification from the American Heart Association
- Monitor vital signs
"""


def test_a_degree_and_a_certificate_named_as_the_posting_words_them_are_shown() -> None:
    resume = Resume.model_validate({
        "basics": {"name": "Dana"},
        "education": [{"institution": "OHSU", "area": "Nursing",
                       "studyType": "Bachelor of Science in Nursing"}],
        "certificates": [{"name": "BLS, American Heart Association"}],
    })
    report = skills(score_match(resume, parse_posting(NURSE_POSTING), today=TODAY))
    assert report["Bachelor of Science in Nursing (BSN)"].state == SkillState.shown
    assert report["Basic Life Support (BLS)"].state == SkillState.shown  # "BLS certification"
