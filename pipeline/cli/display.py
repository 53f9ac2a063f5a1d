"""What the CLI prints: rich tables for people, and reading `rank`'s many postings.

Kept apart from `pipeline.cli.commands` so that module stays import-light: this one is loaded only
once a command runs.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pipeline.errors import InvalidInput
from pipeline.inputs import MAX_POSTING_BYTES, load_posting, posting_to_text
from pipeline.models import JobAnalysis, MatchReport, RankedPosting, SkillRequirement
from pipeline.tailor import TailorResult

MAX_JSONL_BYTES = 200 * 1024 * 1024


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
    for column in ("skill", "kind", "importance", "status", "evidence"):
        skills.add_column(column)
    for skill in report.skills:
        status = "[green]matched[/green]" if skill.matched else "[red]missing[/red]"
        evidence = _us([e.path for e in skill.evidence[:3]])
        skills.add_row(_u(skill.name), skill.kind.value, f"{skill.importance:.2f}", status,
                       evidence)
    console.print(skills)


def read_postings(args: Sequence[str]) -> list[tuple[str, str]]:
    """`rank`'s postings: several files (id = file name), or one `.jsonl` of {id, text}."""
    if len(args) == 1 and args[0].endswith(".jsonl"):
        return _read_jsonl(Path(args[0]))
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


def _read_jsonl(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        raise InvalidInput(f"file not found: {path}", field="postings")
    if not path.is_file():
        raise InvalidInput(f"not a regular file: {path}", field="postings")
    if path.stat().st_size > MAX_JSONL_BYTES:
        raise InvalidInput(f"{path} is larger than {MAX_JSONL_BYTES // 2**20} MB", field="postings")
    items: list[tuple[str, str]] = []
    seen: set[str] = set()
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            where = f"{path.name} line {number}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise InvalidInput(f"not a JSON object: {exc}", field=where) from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InvalidInput('expected {"id": ..., "text": "..."}', field=where)
            item_id = str(record.get("id", number))
            if item_id in seen:
                raise InvalidInput(f"duplicate id {item_id!r}", field=where)
            seen.add(item_id)
            text = record["text"]
            if len(text.encode("utf-8")) > MAX_POSTING_BYTES:
                raise InvalidInput(f"text larger than {MAX_POSTING_BYTES // 1024} KB", field=where)
            try:
                items.append((item_id, posting_to_text(text)))
            except InvalidInput as exc:
                raise InvalidInput(exc.reason, field=f"{where}.text") from None
    if not items:
        raise InvalidInput("no postings in the file", field="postings")
    return items


def render_ranking(console: Console, ranked: Sequence[RankedPosting]) -> None:
    table = Table(title="Postings by fit", title_justify="left")
    for column in ("#", "posting", "title", "match", "top missing"):
        table.add_column(column)
    for place, item in enumerate(ranked, start=1):
        table.add_row(str(place), _u(item.id), _u(item.title or "-"), _pct(item.match_rate),
                      _us(item.top_missing[:4]))
    console.print(table)


def render_tailor_summary(console: Console, result: TailorResult, written: list[Path]) -> None:
    report = result.report
    before, after = report.before, report.after
    console.print(f"[bold]Match rate {_pct(before.match_rate)} → {_pct(after.match_rate)}[/bold]"
                  f"  (ceiling {_pct(after.ceiling)})")
    matched = [s.name for s in after.matched]
    lacking = [s.name for s in after.missing if not s.evidence]
    hidden = [s.name for s in after.missing if s.evidence]
    console.print(f"  matched ({len(matched)}): {_us(matched) or '-'}")
    console.print(f"  missing ({len(lacking)}): {_us(lacking) or '-'}"
                  + ("  [dim](not in your resume, so not added)[/dim]" if lacking else ""))
    if hidden:
        console.print(f"  evidenced but not shown ({len(hidden)}): {_us(hidden)}"
                      "  [dim](only in descriptions or courses, or trimmed to fit)[/dim]")
    pages = "page" if report.pages == 1 else "pages"
    console.print(f"  {report.pages} {pages}, template {_u(report.template)} ({report.engine}), "
                  f"{report.compiles} compile(s)")
    if report.trimmed:
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
    console.print("Wrote " + _us(written))
