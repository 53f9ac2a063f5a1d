"""What the CLI prints about the extra documents: each ATS report and the letter's guard."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console

from pipeline.models import AtsReport, LetterReport


def render_ats(console: Console, reports: Sequence[AtsReport]) -> None:
    for report in reports:
        passed = sum(1 for c in report.checks if c.status == "pass")
        skipped = [c.rule for c in report.checks if c.status == "skipped"]
        state = "[green]ok[/green]" if report.ok else f"[red]{len(report.failed)} failed[/red]"
        line = f"  ATS check {report.document}: {state} ({passed}/{len(report.checks)} passed"
        console.print(line + (f", skipped {', '.join(skipped)})" if skipped else ")"))
        for failed in report.failed:
            console.print(f"    {failed.rule}: {failed.detail}")


def render_letter(console: Console, report: LetterReport) -> None:
    console.print(f"  cover letter: {report.pages} page, {report.sentences} sentences by "
                  f"{report.provider}, guard rejections: {len(report.rejections)}")
    for rejection in report.rejections[:5]:
        console.print(f"    {rejection.output_path}: {rejection.reason}")
