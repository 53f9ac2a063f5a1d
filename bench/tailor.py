"""End-to-end tailoring benchmark: every stage in-process after start-up, against one plain
`pdflatex` run of the final .tex (printed, not asserted).

    python -m bench tailor [--repeat 3]

Pairs each example resume with the posting whose file name shares a word with it (else the
best-matching posting), for every template. Before timing, one full tailoring per template
warms what a long-running worker has warm: imports, the skill matcher, the TeX formats.
Stages: parse (posting), score, rewrite, compile (the one-page fit, every TeX run
included), parse-back (keywords for the check, text extraction, check), after-score.
Target (issue 3): end-to-end no slower than one plain compile; ≤ 2 compiles per resume.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pipeline.compile.one_page import fit_resume, read_back
from pipeline.compile.render import list_templates
from pipeline.inputs import load_posting, load_resume
from pipeline.jsonresume import Resume
from pipeline.parse import parse_posting
from pipeline.rewrite import rewrite_resume
from pipeline.score import score_match
from pipeline.tailor import parse_back_keywords

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("parse", "score", "rewrite", "compile", "parseback", "rescore")
T = TypeVar("T")


@dataclass
class Sample:
    stages: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STAGES})
    total: list[float] = field(default_factory=list)
    compiles: int = 0
    trimmed: int = 0
    tex: str = ""


def _timed(times: dict[str, float], stage: str, call: Callable[[], T]) -> T:
    started = time.perf_counter()
    value = call()
    times[stage] = times.get(stage, 0.0) + (time.perf_counter() - started) * 1000
    return value


def tailor_once(resume: Resume, posting: str, template: str) -> tuple[dict[str, float], int,
                                                                      int, str]:
    """One tailoring, stage by stage as `pipeline.tailor.run_tailor` chains them."""
    t: dict[str, float] = {}
    analysis = _timed(t, "parse", lambda: parse_posting(posting))
    before = _timed(t, "score", lambda: score_match(resume, analysis))
    tailored = _timed(t, "rewrite", lambda: rewrite_resume(resume, analysis, before))
    keywords = _timed(t, "parseback", lambda: parse_back_keywords(tailored, analysis))
    compiled, info = _timed(t, "compile", lambda: fit_resume(tailored, template=template,
                                                             keywords=keywords))
    compiled = _timed(t, "parseback", lambda: read_back(compiled, info, keywords))
    _timed(t, "rescore", lambda: score_match(compiled.resume or tailored.resume, analysis))
    return t, compiled.compiles, len(compiled.trimmed), compiled.tex


def plain_pdflatex_ms(tex: str) -> float:
    """One `pdflatex -interaction=batchmode` run, as a user would type it, in a fresh folder."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "resume.tex").write_text(tex, encoding="utf-8")
        started = time.perf_counter()
        subprocess.run(["pdflatex", "-interaction=batchmode", "resume.tex"], cwd=tmp,
                       stdin=subprocess.DEVNULL, capture_output=True, check=True)
        return (time.perf_counter() - started) * 1000


def pairs() -> list[tuple[Path, Path]]:
    resumes = sorted(p for p in (ROOT / "examples" / "resumes").glob("*")
                     if p.suffix in (".json", ".yaml", ".yml"))
    postings = sorted((ROOT / "examples" / "postings").glob("*"))
    out = []
    for resume in resumes:
        words = set(resume.stem.split("-"))
        named = [p for p in postings if words & set(p.stem.split("-"))]
        if named:
            out.append((resume, max(named, key=lambda p: len(words & set(p.stem.split("-"))))))
        else:
            loaded = load_resume(resume)
            out.append((resume, max(postings, key=lambda p: score_match(
                loaded, parse_posting(load_posting(p))).match_rate)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench tailor")
    parser.add_argument("--repeat", type=int, default=3, help="runs per pair (median)")
    args = parser.parse_args()
    work = [(r, load_resume(r), p, load_posting(p)) for r, p in pairs()]
    templates = [name for name, _ in list_templates()]
    for template in templates:  # warm-up: imports, matcher, formats
        tailor_once(work[0][1], work[0][3], template)
    print(f"{len(work)} pairs × {len(templates)} templates, median of {args.repeat} runs; "
          "times in ms")
    head = "".join(f"{s:>9}" for s in STAGES)
    print(f"{'resume':<16} {'posting':<18} {'tmpl':<7}{head} {'total':>7} {'tex':>4} "
          f"{'trim':>4} {'plain':>6} {'ratio':>6}")
    ratios: list[float] = []
    compiles: list[int] = []
    sums = {s: 0.0 for s in (*STAGES, "total")}
    for resume_path, resume, posting_path, posting in work:
        for template in templates:
            sample = Sample()
            for _ in range(args.repeat):
                started = time.perf_counter()
                times, sample.compiles, sample.trimmed, sample.tex = tailor_once(
                    resume, posting, template)
                sample.total.append((time.perf_counter() - started) * 1000)
                for stage in STAGES:
                    sample.stages[stage].append(times.get(stage, 0.0))
            plain = statistics.median(plain_pdflatex_ms(sample.tex) for _ in range(args.repeat))
            total = statistics.median(sample.total)
            ratios.append(total / plain)
            compiles.append(sample.compiles)
            medians = {s: statistics.median(v) for s, v in sample.stages.items()}
            for stage in STAGES:
                sums[stage] += medians[stage]
            sums["total"] += total
            cells = "".join(f"{medians[s]:9.1f}" for s in STAGES)
            print(f"{resume_path.stem[:16]:<16} {posting_path.stem[:18]:<18} {template:<7}"
                  f"{cells} {total:7.1f} {sample.compiles:4d} {sample.trimmed:4d} "
                  f"{plain:6.1f} {total / plain:6.2f}")
    n = len(ratios)
    cells = "".join(f"{sums[s] / n:9.1f}" for s in STAGES)
    print(f"{'mean':<16} {'':<18} {'':<7}{cells} {sums['total'] / n:7.1f}")
    print(f"compiles per resume: mean {statistics.mean(compiles):.2f}, max {max(compiles)}, "
          f"one compile in {compiles.count(1)}/{n}; "
          f"end-to-end / plain pdflatex: mean {statistics.mean(ratios):.2f}, "
          f"max {max(ratios):.2f}  (targets: ≤ 2 compiles, ratio ≤ 1)")


if __name__ == "__main__":
    main()
