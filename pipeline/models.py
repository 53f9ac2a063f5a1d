"""The pipeline's data types: what each stage takes and returns.

    posting text ─parse→ JobAnalysis ─score→ MatchReport ─rewrite→ TailoredResume
    TailoredResume ─compile→ CompiledResume

Every model rejects unknown keys, so a stage fed a stale or foreign payload fails loudly.
One module past 400 lines: the stages' contracts read together, as the diagram above.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.jsonresume import Resume


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------- parse


class SkillKind(StrEnum):
    """`hard`: a technology, tool or method; `soft`: a trait or way of working."""

    hard = "hard"
    soft = "soft"


class Section(StrEnum):
    """Where in a posting a mention stands; it weighs in on importance."""

    title = "title"  # type: ignore[assignment]  # shadows str.title on purpose
    requirements = "requirements"
    responsibilities = "responsibilities"
    preferred = "preferred"
    about = "about"  # the company blurb
    benefits = "benefits"
    other = "other"


class Mention(_Model):
    text: str  # the surface form as written in the posting
    start: int  # character offsets into JobAnalysis.text
    end: int
    section: Section


class SkillRequirement(_Model):
    name: str  # canonical name from the taxonomy ("PostgreSQL")
    kind: SkillKind
    category: str | None = None  # taxonomy category ("Databases", "Programming languages")
    surface_forms: list[str] = Field(default_factory=list)  # distinct forms seen ("Postgres")
    mentions: list[Mention] = Field(default_factory=list)
    importance: float = Field(ge=0.0, le=1.0)
    required: bool  # False: preferred / nice to have
    # Skills the posting takes in its place ("Power BI or Tableau", "a degree in Finance,
    # Accounting or Economics"): any one of them meets the requirement. Empty when the posting
    # also asks for it on its own.
    alternatives: list[str] = Field(default_factory=list)


class EducationLevel(StrEnum):
    """A degree level, lowest first."""

    none = "none"
    high_school = "high_school"
    associate = "associate"
    bachelor = "bachelor"
    master = "master"
    doctorate = "doctorate"


class Seniority(StrEnum):
    intern = "intern"
    junior = "junior"
    mid = "mid"
    senior = "senior"
    lead = "lead"
    principal = "principal"
    manager = "manager"
    director = "director"
    executive = "executive"


class Tone(StrEnum):
    """How the posting addresses its reader."""

    formal = "formal"
    neutral = "neutral"
    casual = "casual"


class Culture(_Model):
    """What the posting says of how the team works."""

    tone: Tone = Field(default=Tone.neutral, description="How the posting is written.")
    values: list[str] = Field(default_factory=list, description=(
        'Values it names: "ownership", "collaboration", ...'))


class JobAnalysis(_Model):
    text: str  # the posting reduced to plain text; mentions point into it
    title: str | None = None
    company: str | None = None
    seniority: Seniority | None = None
    hard_skills: list[SkillRequirement] = Field(default_factory=list)
    soft_skills: list[SkillRequirement] = Field(default_factory=list)
    min_years: float | None = None  # minimum years of experience asked for
    education: EducationLevel | None = None  # minimum degree asked for
    education_required: bool = False
    education_fields: list[str] = Field(default_factory=list)  # "Computer Science"
    culture: Culture = Field(default_factory=Culture)
    sections: dict[Section, int] = Field(default_factory=dict)  # lines per detected section
    provider_notes: list[str] = Field(default_factory=list)  # what an AI provider added

    def skills(self) -> list[SkillRequirement]:
        return [*self.hard_skills, *self.soft_skills]


# ---------------------------------------------------------------- score


class EvidenceBasis(StrEnum):
    """How a resume line evidences a skill."""

    named = "named"  # by its name or an alias ("Postgres" for PostgreSQL)
    word_form = "word_form"  # another form of its words ("Mentored" for mentoring)
    related = "related"  # a specific tool of it ("Grafana" for Monitoring)


class Evidence(_Model):
    """One place in the resume that evidences a skill."""

    path: str = Field(description=(
        'JSON path into the resume: "work[1].highlights[3]", "skills[0].keywords[2]".'))
    text: str = Field(description="The matched text at that path.")
    surfaced: bool = Field(description=(
        "True when the path is a place a reader (and an ATS) sees the skill named."))
    basis: EvidenceBasis = Field(default=EvidenceBasis.named,
                                 description="How the line evidences the skill.")


class SkillState(StrEnum):
    """A skill's one state, named the same in the CLI, report.json, the API and rankings."""

    shown = "shown"  # the resume names it where a reader and an ATS see it, as the posting does
    evidenced = "evidenced"  # the resume evidences it, worded differently or not shown
    absent = "absent"  # nothing in the resume evidences it: the only state called missing
    # not shown, but the posting takes an alternative the resume shows ("Power BI or Tableau",
    # and the resume shows Tableau): neither missing nor counted in the match rate
    covered = "covered"


class SkillMatch(_Model):
    """One skill the posting asks for, and what the resume shows of it."""

    name: str = Field(description='Canonical name from the taxonomy ("PostgreSQL").')
    kind: SkillKind = Field(description="Hard or soft skill.")
    importance: float = Field(description="How much the posting stresses it, 0..1.")
    required: bool = Field(description="False when the posting only prefers it.")
    matched: bool = Field(description="Counts toward the match rate: `state` is `shown`.")
    state: SkillState = Field(description=(
        "Shown, evidenced, absent, or covered: not shown, and the posting takes an "
        "alternative the resume shows (`covered_by`)."))
    covered_by: str | None = Field(default=None, description=(
        'The alternative the posting takes in its place that the resume shows ("Tableau" for '
        '"Power BI or Tableau"); set when `state` is `covered`.'))
    evidence: list[Evidence] = Field(default_factory=list,
                                     description="Where the resume evidences it.")
    resume_forms: list[str] = Field(default_factory=list, description=(
        'How the resume words it ("Postgres").'))

    @model_validator(mode="before")
    @classmethod
    def _state_of_older_reports(cls, data: Any) -> Any:
        """Reports stored before skills had a state: derive it as the score stage does."""
        if isinstance(data, dict) and "state" not in data:
            state = (SkillState.shown if data.get("matched") else
                     SkillState.evidenced if data.get("evidence") else SkillState.absent)
            data = {**data, "state": state}
        return data


class RateComponent(_Model):
    """One part of the match rate."""

    name: Literal["hard_skills", "title", "education", "years", "soft_skills"] = Field(
        description="Which part.")
    weight: float = Field(description="Its share of the total; the weights sum to 1.")
    score: float = Field(ge=0.0, le=1.0, description="This part's own rate, 0..1.")
    detail: str = Field(default="", description='In words: "8 of 11 hard skills".')


class MatchReport(_Model):
    """How well a resume meets a posting."""

    match_rate: float = Field(ge=0.0, le=1.0, description=(
        "Weighted share of what the posting asks that the resume meets, 0..1."))
    ceiling: float = Field(ge=0.0, le=1.0, description=(
        "The rate reachable by surfacing what the resume already evidences."))
    breakdown: list[RateComponent] = Field(description="The rate's parts and weights.")
    skills: list[SkillMatch] = Field(description="Every skill asked, by importance, "
                                                 "highest first.")
    title_match: bool = Field(default=False, description=(
        "The resume's title matches the posting's."))
    resume_title: str | None = Field(default=None, description="The resume's current title.")
    resume_years: float | None = Field(default=None,
                                       description="Years of experience the resume shows.")
    resume_education: EducationLevel | None = Field(
        default=None, description="The highest degree the resume shows.")

    @property
    def matched(self) -> list[SkillMatch]:
        return [s for s in self.skills if s.matched]

    @property
    def evidenced(self) -> list[SkillMatch]:
        """In the resume, worded differently or not shown."""
        return [s for s in self.skills if s.state == SkillState.evidenced]

    @property
    def missing(self) -> list[SkillMatch]:
        """Absent: nothing in the resume evidences them."""
        return [s for s in self.skills if s.state == SkillState.absent]

    @property
    def covered(self) -> list[SkillMatch]:
        """Not shown, but an alternative the posting takes is."""
        return [s for s in self.skills if s.state == SkillState.covered]


class FitParts(_Model):
    """The parts of a posting's fit for the candidate (pipeline.rank.fit); each 0..1."""

    coverage: float = Field(ge=0.0, le=1.0, description=(
        "Share of the posting's requirements the resume evidences, by importance and by how "
        "central each is to the candidate, shrunk toward a prior when few are found."))
    centrality: float = Field(ge=0.0, le=1.0, description=(
        "Absolute amount of the candidate's central skills the posting asks for, saturating."))
    role: float = Field(ge=0.0, le=1.0, description=(
        "The posting's role family and title against the candidate's titles."))
    seniority: float = Field(ge=0.0, le=1.0, description=(
        "The posting's level (or years asked) against the candidate's."))
    gaps: float = Field(ge=0.0, le=1.0, description=(
        "Penalty, subtracted: must-haves with no evidence, years, degree or level far off."))


class FitReport(_Model):
    fit: float = Field(ge=0.0, le=1.0)
    parts: FitParts
    reasons: list[str] = Field(default_factory=list)  # "has 12 of 15 skills asked; ..."


class RankedPosting(_Model):
    id: str
    fit: float = Field(default=0.0, ge=0.0, le=1.0, description="The sort key, best first.")
    fit_parts: FitParts | None = None  # None for a posting that could not be parsed
    fit_reasons: list[str] = Field(default_factory=list)
    match_rate: float  # share of what the posting asks that the resume meets (not the sort key)
    title: str | None = None
    top_missing: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- rewrite


class EditKind(StrEnum):
    """What tailoring did to a line: `selected` (kept as written), `reordered`,
    `terminology` (a term swapped for the posting's name of it), `rewritten` (reworded by a
    provider), `summary` (written from resume facts), `dropped` (left out)."""

    selected = "selected"  # kept as written
    reordered = "reordered"
    terminology = "terminology"  # a resume term swapped for the posting's name of it
    rewritten = "rewritten"  # reworded by a provider
    summary = "summary"  # written from resume facts
    dropped = "dropped"  # left out as least relevant


class Provenance(_Model):
    output_path: str  # where the line stands in the tailored resume
    source_paths: list[str]  # where its facts come from in the master resume
    edit: EditKind
    provider: str = "local"
    detail: str = ""  # "Postgres → PostgreSQL"


class GuardRejection(_Model):
    """A line a provider proposed that the truthfulness guard refused; its source line was
    kept instead."""

    output_path: str = Field(description="Where the line would have stood.")
    source_paths: list[str] = Field(description="The master resume lines it was made from.")
    proposed: str = Field(description="The refused wording.")
    reason: str = Field(description=(
        "Why: \"adds skill 'Kubernetes'\", \"number 45% not in source\"."))
    provider: str = Field(description="Who proposed it.")


class Usage(_Model):
    provider: str = Field(description="`openai`, `anthropic`, ...")
    model: str = Field(description="The model called.")
    prompt_version: str = Field(default="", description="The prompt's name and version.")
    input_tokens: int = Field(default=0, description="Tokens sent.")
    output_tokens: int = Field(default=0, description="Tokens received.")
    requests: int = Field(default=0, description="Calls made.")
    cost_usd: float = Field(default=0.0, description="Estimated cost in US dollars.")


class TailoredResume(_Model):
    resume: Resume  # valid JSON Resume, ready to render
    provenance: list[Provenance] = Field(default_factory=list)
    rejections: list[GuardRejection] = Field(default_factory=list)
    relevance: dict[str, float] = Field(default_factory=dict)  # output path → relevance 0..1
    # output path → what the line is worth to the posting, in words ("no required skill, 2012")
    reasons: dict[str, str] = Field(default_factory=dict)
    provider: str = "local"
    usage: list[Usage] = Field(default_factory=list)


# ---------------------------------------------------------------- compile


class ParseBackCheck(_Model):
    ok: bool
    missing: list[str] = Field(default_factory=list)  # expected strings not found
    out_of_order: list[str] = Field(default_factory=list)  # headings not in reading order
    checked: int = 0


class CompileFacts(_Model):
    """What a compile did, without its files: what report.json tells of it, and what the
    service keeps in Postgres (the files go to S3)."""

    template: str
    engine: Literal["pdflatex", "lualatex"]
    pages: int
    compiles: int  # TeX runs used, fitting included
    trimmed: list[str] = Field(default_factory=list)  # output paths dropped to fit the page
    adjustments: list[str] = Field(default_factory=list)  # "font 10.5pt", "margins 0.5in"
    text: str = ""  # text extracted back from the PDF
    parse_back: ParseBackCheck | None = None
    resume: Resume | None = None  # the resume as finally rendered (after trimming)


class CompiledResume(CompileFacts):
    tex: str
    pdf: bytes = Field(repr=False)


# ---------------------------------------------------------------- documents


class AtsCheck(_Model):
    """One rule applicant tracking systems trip on, checked on one output document."""

    rule: str = Field(description='The rule: "fonts_embedded", "margins", ...')
    status: Literal["pass", "fail", "skipped"] = Field(description=(
        "`skipped`: the tool the check needs is not installed."))
    detail: str = Field(default="", description="What was found.")


class AtsReport(_Model):
    """The applicant-tracking-system checks of one output document."""

    document: str = Field(description='"resume.pdf", "letter.pdf", "resume.docx".')
    ok: bool = Field(description="No rule failed.")
    checks: list[AtsCheck] = Field(description="Each rule checked.")

    @property
    def failed(self) -> list[AtsCheck]:
        return [c for c in self.checks if c.status == "fail"]


class LetterReport(_Model):
    """How the cover letter was written: by whom, and which sentences the guard replaced."""

    provider: str
    template: str
    engine: str
    pages: int
    compiles: int
    sentences: int
    rejections: list[GuardRejection] = Field(default_factory=list)


class InputNotes(_Model):
    """What reading the resume changed, and what of it no template shows: said once."""

    # Fields of the layout before JSON Resume 1.0.0, read under their 1.0.0 names.
    mapped_fields: list[str] = Field(default_factory=list)  # "work[0].company → work[0].name"
    not_rendered: list[str] = Field(default_factory=list)  # "basics.image", "references"


class Trim(_Model):
    """One piece left out to fit the page, and why it went before the others."""

    path: str  # in the tailored resume (tailored.json holds it without the trimmed pieces)
    text: str  # the piece, or an entry's name
    relevance: float | None = None  # what the fitter ranked it by, before its boosts
    reason: str  # "no required skill, 2012", "least relevant by position"


class TailorReport(_Model):
    """What `report.json` holds: everything a user wants to know about one tailoring."""

    analysis: JobAnalysis
    before: MatchReport
    after: MatchReport
    template: str
    engine: str
    pages: int
    compiles: int
    trimmed: list[str]
    adjustments: list[str]
    provenance: list[Provenance]
    rejections: list[GuardRejection]
    parse_back: ParseBackCheck | None
    usage: list[Usage] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    ats: list[AtsReport] = Field(default_factory=list)  # one per PDF and DOCX written
    letter: LetterReport | None = None  # when a cover letter was asked for
    input_notes: InputNotes = Field(default_factory=InputNotes)
    trims: list[Trim] = Field(default_factory=list)  # `trimmed`, each with its text and reason
