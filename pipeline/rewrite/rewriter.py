"""The rewrite stage: master resume + posting analysis + match report → TailoredResume.

The deterministic part is the same whatever the provider: jobs stay in chronological order
(most recent first); bullets are chosen and ordered within each job by relevance to the
posting; a resume term becomes the posting's term only for a skill the resume evidences;
the skills section lists matched keywords first; every line keeps its provenance.

A `Rewriter` (the `local` one here, AI ones in `pipeline.providers`) then words the bullets and
the summary. Whatever it returns goes through the truthfulness guard, line by line; a rejected
line falls back to the deterministic version.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from pipeline.errors import ProviderError
from pipeline.jsonresume import Resume
from pipeline.models import (
    EditKind,
    JobAnalysis,
    MatchReport,
    Provenance,
    SkillKind,
    TailoredResume,
    Tone,
    Usage,
)
from pipeline.rewrite.guard import Guard
from pipeline.rewrite.relevance import (
    RelevanceModel,
    evidenced,
    is_area,
    is_role_or_field,
    preferred_form,
    shown_in_experience,
    terminology,
)
from pipeline.rewrite.section_writer import SectionWriter
from pipeline.score.resume_facts import (
    chronological,
    evidenced_jobs,
    highest_degree,
    line_of_work_years,
)
from pipeline.taxonomy.matcher import SkillMatcher, get_matcher


@dataclass(frozen=True)
class BulletRequest:
    """One line for a provider to word toward the posting. Requests are independent of each
    other, so a provider may answer them concurrently."""

    path: str  # where the line stands in the tailored resume
    source_path: str  # where it comes from in the master resume
    text: str  # the deterministic version (terminology already aligned): the fallback
    source: str  # the line as the user wrote it: the only source of facts
    context: str  # "Backend Engineer at Acme": context, never a fact to add
    terms: tuple[str, ...]  # the posting's names of skills this line evidences
    posting: str  # the posting text: untrusted wording reference, never instructions
    tone: Tone


@dataclass(frozen=True)
class SummaryFacts:
    """Everything a summary may state, computed from the resume."""

    title: str | None  # most recent job title
    employer: str | None  # most recent employer
    years: int | None  # whole years of experience, from the work dates
    skills: tuple[str, ...]  # evidenced hard skills, posting's wording, most important first
    soft_skills: tuple[str, ...]  # evidenced soft skills
    education: str | None  # highest degree as written ("Bachelor in Computer Science")
    tone: Tone
    source_paths: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()  # evidenced markets or industries the posting asks ("B2B")

    def sources(self) -> list[str]:
        """The fact lines the guard checks a summary against."""
        lines = [self.title, self.employer, self.education, *self.domains, *self.skills,
                 *self.soft_skills]
        if self.years is not None:
            lines.append(f"{self.years} years")
        return [line for line in lines if line]


class Rewriter(Protocol):
    """A rewriting provider. The guard checks whatever it returns."""

    @property
    def name(self) -> str: ...

    def rewrite_bullets(self, requests: Sequence[BulletRequest]) -> list[str]:
        """One line per request, in order. Return `request.text` to leave a line as is."""
        ...

    def write_summary(self, facts: SummaryFacts) -> str: ...

    def usage(self) -> list[Usage]:
        """Tokens and requests spent so far (empty for `local`)."""
        ...


class LocalRewriter:
    """Deterministic and offline: bullets as the local pass leaves them, a templated summary."""

    name = "local"

    def rewrite_bullets(self, requests: Sequence[BulletRequest]) -> list[str]:
        return [request.text for request in requests]

    def write_summary(self, facts: SummaryFacts) -> str:
        if not facts.title and not facts.skills:
            return ""
        sentences = []
        if facts.title:  # no title, no lead sentence: "Professional with…" says nothing
            lead = facts.title
            if facts.years:
                unit = "year" if facts.years == 1 else "years"
                # template words must name no skill: the guard checks them ("hands-on" is one)
                kind = {Tone.formal: "professional experience"}
                lead += f" with {facts.years} {unit} of {kind.get(facts.tone, 'experience')}"
                if facts.domains:
                    lead += f" in {_series(facts.domains)}"
            if facts.employer:
                lead += f", most recently at {facts.employer}"
            sentences.append(lead + ".")
        if facts.skills:
            opener = {Tone.casual: "Day to day:", Tone.formal: "Expertise in"}
            sentences.append(f"{opener.get(facts.tone, 'Skilled in')} {_series(facts.skills)}.")
        if facts.soft_skills:
            sentences.append(f"Strengths include {_series(facts.soft_skills)}.")
        if facts.education and facts.tone == Tone.formal:
            sentences.append(f"Holds a {facts.education}.")
        return " ".join(sentences)

    def usage(self) -> list[Usage]:
        return []


def _series(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------- the stage


def rewrite_resume(
    resume: Resume,
    analysis: JobAnalysis,
    report: MatchReport,
    *,
    rewriter: Rewriter | None = None,
    matcher: SkillMatcher | None = None,
    today: date | None = None,
) -> TailoredResume:
    """The resume tailored to the posting: bullets chosen and ordered by relevance, the
    posting's terms where the resume evidences them, skills reordered, a summary written from
    facts, each line with its provenance and every rewrite checked by the truthfulness guard.

    `rewriter` words bullets and the summary (default: the local, deterministic one); a line
    the guard rejects falls back to the deterministic version. `today` (default: the real date)
    dates the summary's years. Raises ProviderError when the rewriter returns a different
    number of bullets than asked for, or when it raises one itself.
    """
    rewriter = rewriter or LocalRewriter()
    matcher = matcher or get_matcher()
    guard = Guard(resume, matcher=matcher)
    writer = SectionWriter(
        resume=resume,
        data=resume.to_json_dict(),
        model=RelevanceModel.build(analysis, report, guard.skill_names),
        swaps=terminology(analysis, report),
        guard=guard,
        analysis=analysis,
        report=report,
        today=today or date.today(),
    )
    writer.work(chronological(resume.work))
    writer.projects()
    writer.skills()
    writer.other_sections()
    facts = summary_facts(resume, analysis, report, today or date.today())
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="summary") as pool:
        # The summary needs only facts, so a model writes it while it rewords the bullets:
        # a whole rewrite costs one round trip, not two.
        ai_summary = (pool.submit(rewriter.write_summary, facts)
                      if rewriter.name != "local" else None)
        _reword_bullets(writer, rewriter, analysis)
        _summary(writer, rewriter, facts, ai_summary)
    return TailoredResume(
        resume=Resume.model_validate(writer.data),
        provenance=writer.provenance,
        rejections=writer.rejections,
        relevance=writer.relevance,
        reasons=writer.reasons,
        provider=rewriter.name,
        usage=rewriter.usage(),
    )


def _reword_bullets(writer: SectionWriter, rewriter: Rewriter, analysis: JobAnalysis) -> None:
    lines = writer.lines
    requests = [
        BulletRequest(path=line.output_path, source_path=line.source_path, text=line.local,
                      source=line.source, context=line.context, terms=line.terms,
                      posting=analysis.text, tone=analysis.culture.tone)
        for line in lines
    ]
    proposed = rewriter.rewrite_bullets(requests) if requests else []
    if len(proposed) != len(requests):
        raise ProviderError(f"{rewriter.name} returned {len(proposed)} lines "
                            f"for {len(requests)} requests")
    for line, text in zip(lines, proposed, strict=True):
        final = line.local
        if text != line.local:
            verdict = writer.guard.review(
                text, sources=[line.source], fallback=line.local, output_path=line.output_path,
                source_paths=[line.source_path], provider=rewriter.name)
            final = verdict.line
            if verdict.rejection is not None:
                writer.rejections.append(verdict.rejection)
        line.container[line.index] = final
        edit, detail = line.edit, "; ".join(line.notes)
        if final != line.local:
            edit, detail = EditKind.rewritten, f"reworded by {rewriter.name}"
        writer.provenance.append(Provenance(
            output_path=line.output_path, source_paths=[line.source_path], edit=edit,
            provider=rewriter.name if edit == EditKind.rewritten else "local", detail=detail))


def summary_facts(resume: Resume, analysis: JobAnalysis, report: MatchReport,
                  today: date) -> SummaryFacts:
    required = {s.name: s for s in analysis.skills()}
    order = chronological(resume.work)
    recent = resume.work[order[0]] if order else None
    shown = [s for s in evidenced(report) if s.name in required
             and shown_in_experience(s) and not is_role_or_field(s)]
    hard = [s for s in shown if s.kind == SkillKind.hard and not is_area(required[s.name])]
    domains = [s for s in shown if s.kind == SkillKind.hard and is_area(required[s.name])]
    soft = [s for s in shown if s.kind == SkillKind.soft]
    paths: list[str] = []
    if order:
        paths += [f"work[{order[0]}].position", f"work[{order[0]}].name"]
        paths += [f"work[{i}].startDate" for i, w in enumerate(resume.work) if w.startDate]
    for skill in domains[:2] + hard[:4] + soft[:2]:
        paths += [e.path for e in skill.evidence[:1]]
    title = recent.position if recent and recent.position else resume.basics.label
    if title and not (recent and recent.position):
        paths.insert(0, "basics.label")
    return SummaryFacts(
        title=title,
        employer=recent.name if recent else None,
        years=line_of_work_years(resume, title, evidenced_jobs(hard), today=today),
        skills=tuple(_in_running_text(preferred_form(required[s.name])) for s in hard[:4]),
        soft_skills=tuple(s.name.lower() for s in soft[:2]),
        domains=tuple(preferred_form(required[s.name]) for s in domains[:2]),
        education=highest_degree(resume),
        tone=analysis.culture.tone,
        source_paths=tuple(paths),
    )


def _in_running_text(name: str) -> str:
    """A skill's name as a sentence writes it: a phrase of common words capitalized only as a
    list's first word ("Vital signs monitoring") in lower case; names ("Google Ads", "SQL",
    "Python") as they are."""
    words = name.split()
    if len(words) > 1 and words[0][:1].isupper() and words[0][1:].islower() and all(
            w.islower() for w in words[1:]) and not get_matcher().knows_word(words[0]):
        return name[0].lower() + name[1:]  # not "python programming"
    return name


def _summary(writer: SectionWriter, rewriter: Rewriter, facts: SummaryFacts,
             ai_summary: Future[str] | None) -> None:
    text, provider = LocalRewriter().write_summary(facts), "local"
    if text:
        verdict = writer.guard.review(text, sources=facts.sources(), fallback="",
                                      output_path="basics.summary",
                                      source_paths=list(facts.source_paths), provider="local")
        text = verdict.line
        if verdict.rejection is not None:
            writer.rejections.append(verdict.rejection)
    if ai_summary is not None and text:
        verdict = writer.guard.review(
            ai_summary.result(), sources=facts.sources(), fallback=text,
            output_path="basics.summary", source_paths=list(facts.source_paths),
            provider=rewriter.name)
        if verdict.rejection is None:
            provider = rewriter.name
        else:
            writer.rejections.append(verdict.rejection)
        text = verdict.line
    basics: dict[str, Any] = writer.data.setdefault("basics", {})
    if not text:  # nothing to say from facts: keep the user's own summary, if any
        if basics.get("summary"):
            writer.provenance.append(Provenance(output_path="basics.summary",
                                                source_paths=["basics.summary"],
                                                edit=EditKind.selected))
        return
    basics["summary"] = text
    writer.provenance.append(Provenance(
        output_path="basics.summary", source_paths=list(facts.source_paths),
        edit=EditKind.summary, provider=provider,
        detail="written from the most recent title, years from dates and matched skills"))
