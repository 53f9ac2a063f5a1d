"""Ranking quality: NDCG@10 of three ways to rank postings for a resume (printed, not asserted).

    python -m bench ranking [--data bench/data/ranking] [--k 10] [--explain 0]

Data (bench/data/ranking/, see its README.md): fictional resumes of different professions,
short excerpts of real SkillSpan postings, and a graded label (0-3) per resume and posting,
written by hand following the rule in the README, not computed by the code under test.
Rankings compared, each sorted best first with ties kept in file order:
  match_rate  the share of what the posting asks that the resume meets (what `rank` sorted by);
  shared      how many of the posting's skills the resume evidences anywhere;
  fit         pipeline.rank.fit, the key `rank` sorts by now.
Gains are 2^grade - 1, discounted by log2(rank + 1); the ideal order normalises.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pipeline.inputs import load_resume
from pipeline.models import JobAnalysis
from pipeline.parse import parse_posting
from pipeline.rank.fit import Candidate, build_candidate, score_fit
from pipeline.score.match import score_profile
from pipeline.score.resume_profile import ResumeProfile, build_profile

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "ranking"
TODAY = date(2025, 6, 1)  # fixed, so the resumes' current jobs have a fixed length
Scorer = Callable[[ResumeProfile, Candidate, JobAnalysis], float]
SCORERS: dict[str, Scorer] = {
    "match_rate": lambda profile, _, analysis: score_profile(profile, analysis).match_rate,
    "shared": lambda profile, _, analysis: float(
        sum(1 for s in score_profile(profile, analysis).skills if s.evidence)
    ),
    "fit": lambda _, candidate, analysis: score_fit(candidate, analysis).fit,
}


def ndcg(ranked_grades: list[int], k: int) -> float:
    def dcg(grades: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))

    ideal = dcg(sorted(ranked_grades, reverse=True))
    return dcg(ranked_grades) / ideal if ideal else 0.0


def load(data: Path) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    postings = {}
    for line in (data / "postings.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        postings[row["id"]] = row["text"]
    labels: dict[str, dict[str, int]] = defaultdict(dict)
    for line in (data / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        labels[row["resume"]][row["posting"]] = int(row["grade"])
    return postings, labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--explain", type=int, default=0,
                        help="print the top N postings by fit per resume, with their parts")
    args = parser.parse_args()
    postings, labels = load(args.data)
    started = time.perf_counter()
    analyses = {pid: parse_posting(text) for pid, text in postings.items()}
    parse_s = time.perf_counter() - started
    results: dict[str, dict[str, float]] = {}
    for resume_name, graded in sorted(labels.items()):
        resume = load_resume(args.data / "resumes" / f"{resume_name}.json")
        profile = build_profile(resume, today=TODAY)
        candidate = build_candidate(resume, profile, today=TODAY)
        ids = [pid for pid in postings if pid in graded]
        results[resume_name] = {}
        for name, scorer in SCORERS.items():
            scores = {pid: scorer(profile, candidate, analyses[pid]) for pid in ids}
            order = sorted(ids, key=lambda pid: -scores[pid])  # stable: ties in file order
            results[resume_name][name] = ndcg([graded[pid] for pid in order], args.k)
        if args.explain:
            _explain(resume_name, candidate, ids, analyses, graded, args.explain)
    _print(results, args.k, len(postings), parse_s)


def _explain(name: str, candidate: Candidate, ids: list[str],
             analyses: dict[str, JobAnalysis], graded: dict[str, int], top: int) -> None:
    fits = {pid: score_fit(candidate, analyses[pid]) for pid in ids}
    print(f"\n{name}: top {top} by fit (grade, fit, parts)")
    for pid in sorted(ids, key=lambda p: -fits[p].fit)[:top]:
        report = fits[pid]
        parts = " ".join(f"{k}={v:.2f}" for k, v in report.parts.model_dump().items())
        print(f"  {graded[pid]}  {report.fit:.3f}  {pid:18} {analyses[pid].title or '-'!s:40.40}"
              f"  {parts}")


def _print(results: dict[str, dict[str, float]], k: int, n_postings: int, parse_s: float) -> None:
    names = list(SCORERS)
    print(f"\nNDCG@{k} over {n_postings} postings (parsed in {parse_s:.1f} s)")
    print(f"  {'resume':20}" + "".join(f"{n:>12}" for n in names))
    for resume_name, row in results.items():
        print(f"  {resume_name:20}" + "".join(f"{row[n]:12.3f}" for n in names))
    means = {n: statistics.fmean(row[n] for row in results.values()) for n in names}
    print(f"  {'mean':20}" + "".join(f"{means[n]:12.3f}" for n in names))


if __name__ == "__main__":
    main()
