"""What the CLI prints: rich tables for people, and reading `rank`'s many postings.

Kept apart from `pipeline.cli.commands` so that module stays import-light: this one is loaded only
once a command runs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.errors import InvalidInput
from pipeline.inputs import load_posting
from pipeline.models import (
    Evidence,
    EvidenceBasis,
    InputNotes,
    JobAnalysis,
    MatchReport,
    RankedPosting,
    SkillRequirement,
    SkillState,
)

if TYPE_CHECKING:  # the stage modules load only with the command that runs them
    from pipeline.rank.posting_stream import JsonlPostings
    from pipeline.tailor import TailorResult


def _pct(rate: float) -> str:
    return f"{rate * 100:.0f}%"


def _u(value: object) -> str:
    """User text (from a posting, a resume, a file name, a model's answer) made safe for rich
    markup: `[/]`, `[bold]` or `[link=...]` in a posting title prints as written rather than
    failing or emitting a terminal link."""
    return escape(str(value))


def _us(values: Sequence[object]) -> str:
    return ", ".join(_u(v) for v in values)


def render_analysis(console: Console, analysis: JobAnalysis) -> None:
    console.print(f"[bold]{_u(analysis.title or '(no title found)')}[/bold]"
                  + (f" at {_u(analysis.company)}" if analysis.company else ""))
    facts = [
        ("seniority", analysis.seniority.value if analysis.seniority else "-"),
        ("min. years", f"{analysis.min_years:g}" if analysis.min_years is not None else "-"),
        ("education", (analysis.education.value if analysis.education else "-")
         + (" (required)" if analysis.education_required else "")),
        ("tone", analysis.culture.tone.value),
        ("values", _us(analysis.culture.values) or "-"),
    ]
    for label, value in facts:
        console.print(f"  {label:<11} {value}")
    for heading, skills in (("Hard skills", analysis.hard_skills),
                            ("Soft skills", analysis.soft_skills)):
        console.print(_skills_table(heading, skills))


def _skills_table(heading: str, skills: Sequence[SkillRequirement]) -> Table:
    table = Table(title=heading, title_justify="left")
    for column in ("skill", "importance", "required", "as written"):
        table.add_column(column)
    for skill in sorted(skills, key=lambda s: -s.importance):
        table.add_row(_u(skill.name), f"{skill.importance:.2f}",
                      "required" if skill.required else "preferred",
                      _us(skill.surface_forms))
    return table


def render_match(console: Console, analysis: JobAnalysis, report: MatchReport) -> None:
    console.print(f"[bold]Match rate {_pct(report.match_rate)}[/bold]  "
                  f"(honest ceiling {_pct(report.ceiling)}: surfacing what the resume evidences)")
    breakdown = Table(title="Breakdown", title_justify="left")
    for column in ("component", "weight", "score", "detail"):
        breakdown.add_column(column)
    for part in report.breakdown:
        breakdown.add_row(_u(part.name), f"{part.weight:.2f}", _pct(part.score),
                          _u(part.detail))
    console.print(breakdown)
    skills = Table(title="Skills by importance", title_justify="left")
    for column in ("skill", "kind", "importance", "state", "evidence"):
        skills.add_column(column)
    for skill in report.skills:
        evidence = _us([_evidence_note(e) for e in skill.evidence[:3]])
        if skill.covered_by:
            place = f"{_u(skill.covered_by)} in its place"
            evidence = f"{place}; {evidence}" if evidence else place
        skills.add_row(_u(skill.name), skill.kind.value, f"{skill.importance:.2f}",
                       _STATE_STYLE[skill.state], evidence)
    console.print(skills)
    console.print("[dim]shown: named as the posting does; evidenced: in the resume, worded "
                  "differently or not shown; absent: missing; covered: the posting takes an "
                  "alternative the resume shows[/dim]")


_STATE_STYLE = {SkillState.shown: "[green]shown[/green]",
                SkillState.evidenced: "[yellow]evidenced[/yellow]",
                SkillState.absent: "[red]absent[/red]",
                SkillState.covered: "[cyan]covered[/cyan]"}


def _evidence_note(evidence: Evidence) -> str:
    if evidence.basis == EvidenceBasis.named:
        return evidence.path
    how = "as" if evidence.basis == EvidenceBasis.word_form else "via"
    return f"{evidence.path} ({how} {evidence.text})"


def read_postings(args: Sequence[str]) -> JsonlPostings | list[tuple[str, str]]:
    """`rank`'s postings: several files (id = file name), or one `.jsonl` of {id, text}, read
    as a stream."""
    if len(args) == 1 and args[0].endswith(".jsonl"):
        # imported here: it loads the rank stage (pipeline.rank), which `analyze` does not need
        from pipeline.rank.posting_stream import JsonlPostings

        return JsonlPostings(Path(args[0]))
    if any(a.endswith(".jsonl") for a in args):
        raise InvalidInput("give either posting files or one .jsonl, not both", field="postings")
    if args.count("-") > 1:
        raise InvalidInput("standard input (-) can be read only once", field="postings")
    items = []
    for arg in args:
        name = "stdin" if arg == "-" else Path(arg).name
        try:
            items.append((name, load_posting(arg)))
        except InvalidInput as exc:  # say which of the many postings is wrong
            raise InvalidInput(exc.reason, field=f"posting {arg}") from None
    return items


def render_ranking(console: Console, ranked: Sequence[RankedPosting]) -> None:
    table = Table(title="Postings by fit", title_justify="left")
    for column in ("#", "posting", "title", "fit", "match", "why", "top missing"):
        table.add_column(column)
    for place, item in enumerate(ranked, start=1):
        table.add_row(str(place), _u(item.id), _u(item.title or "-"), _pct(item.fit),
                      _pct(item.match_rate), _fit_parts(item), _us(item.top_missing[:4]))
    console.print(table)


def _fit_parts(item: RankedPosting) -> str:
    parts = item.fit_parts
    if parts is None:
        return "-"
    return (f"cov {parts.coverage:.2f} cen {parts.centrality:.2f} role {parts.role:.2f} "
            f"lvl {parts.seniority:.2f} gaps {parts.gaps:.2f}")
def _grouped(paths: Sequence[str]) -> str:
    """`work[0].url, work[1].url, basics.image` → `work[].url (2), basics.image`."""
    groups = Counter(re.sub(r"\[\d+\]", "[]", path) for path in paths)
    firsts = {re.sub(r"\[\d+\]", "[]", path): path for path in reversed(paths)}
    text = ", ".join(f"{key} ({count})" if count > 1 else firsts[key]
                     for key, count in groups.items())
    return escape(text)  # keys are the user's: `[x]` in one must not read as markup


def _render_input_notes(console: Console, notes: InputNotes) -> None:
    if notes.mapped_fields:
        moves = [re.sub(r"→ \S*\.", "→ ", move) for move in notes.mapped_fields]
        console.print(f"  older JSON Resume layout (before 1.0.0) read as 1.0.0: "
                      f"{_grouped(moves)}")
    if notes.not_rendered:
        console.print(f"  not shown in the PDF ({len(notes.not_rendered)}): "
                      f"{_grouped(notes.not_rendered)}"
                      "  [dim](no template shows these fields; listed in report.json)[/dim]")


def render_tailor_summary(console: Console, result: TailorResult, written: list[Path]) -> None:
    report = result.report
    before, after = report.before, report.after
    console.print(f"[bold]Match rate {_pct(before.match_rate)} → {_pct(after.match_rate)}[/bold]"
                  f"  (ceiling {_pct(after.ceiling)})")
    _render_input_notes(console, report.input_notes)
    shown = [s.name for s in after.matched]
    absent = [s.name for s in after.missing]
    evidenced = [s.name for s in after.evidenced]
    console.print(f"  shown ({len(shown)}): {_us(shown) or '-'}")
    if evidenced:
        console.print(f"  evidenced ({len(evidenced)}): {_us(evidenced)}"
                      "  [dim](in your resume, worded differently or not shown)[/dim]")
    console.print(f"  absent ({len(absent)}): {_us(absent) or '-'}"
                  + ("  [dim](not in your resume, so not added)[/dim]" if absent else ""))
    if after.covered:
        covered = [f"{s.name} ({s.covered_by})" for s in after.covered]
        console.print(f"  covered ({len(covered)}): {_us(covered)}"
                      "  [dim](the posting takes the alternative in parentheses, "
                      "which you show)[/dim]")
    pages = "page" if report.pages == 1 else "pages"
    console.print(f"  {report.pages} {pages}, template {_u(report.template)} ({report.engine}), "
                  f"{report.compiles} compile(s)")
    if report.trims:
        console.print(f"  trimmed to fit ({len(report.trims)}), least useful first:")
        for trim in report.trims:
            console.print(f"    {_u(trim.path)}: {_u(trim.reason)}")
    elif report.trimmed:
        console.print(f"  trimmed to fit ({len(report.trimmed)}): {_us(report.trimmed)}")
    else:
        console.print("  trimmed to fit: nothing")
    by_provider = Counter(r.provider for r in report.rejections)
    per_provider = ", ".join(f"{_u(name)} {count}" for name, count in sorted(by_provider.items()))
    console.print(f"  guard rejections: {len(report.rejections)}"
                  + (f" ({per_provider})" if per_provider else ""))
    for rejection in report.rejections[:5]:
        console.print(f"    {_u(rejection.output_path)}: {_u(rejection.reason)}")
    if report.parse_back is not None:
        check = report.parse_back
        state = "ok" if check.ok else f"missing {_us(check.missing + check.out_of_order)}"
        console.print(f"  parse-back check: {state}")
    for usage in report.usage:
        console.print(f"  {_u(usage.provider)} {_u(usage.model)} ({_u(usage.prompt_version)}): "
                      f"{usage.requests} request(s), {usage.input_tokens} in / "
                      f"{usage.output_tokens} out tokens, about ${usage.cost_usd:.4f}")
    if report.usage:
        console.print(f"  estimated cost: ${sum(u.cost_usd for u in report.usage):.4f}")
    from pipeline.documents.summary import render_ats, render_letter

    if report.letter is not None:
        render_letter(console, report.letter)
    render_ats(console, report.ats)
    console.print("Wrote " + _us(written))
