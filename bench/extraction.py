"""Skill extraction against SkillSpan's expert annotations (printed, not asserted).

    python -m bench.extraction [--data ../shared/data] [--split dev train] [--errors 15]

Hard skills are scored against the `knowledge` spans and soft skills against the `skill`
spans, micro-averaged over every span of a split. A predicted mention and a gold span pair up
when their character ranges overlap and
  strict:  their normalised texts are equal (case, whitespace, edge punctuation), or the gold
           text is an alias of the predicted skill in the taxonomy ("amazon-web-services"→AWS);
  lenient: one normalised text contains the other.
Each gold span and each prediction pairs at most once. SkillSpan's `skill` spans are mostly
verb phrases ("develop/configure new tools") a gazetteer cannot produce, so soft-skill recall
is low by construction; knowledge spans are the meaningful measure.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.models import JobAnalysis, SkillKind
from pipeline.parse import parse_posting
from pipeline.parse.extraction_lists import LIST_CATEGORY
from pipeline.parse.extraction_patterns import PATTERN_CATEGORY
from pipeline.parse.skill_tagger import TAGGER_CATEGORY
from pipeline.taxonomy.gazetteer import load_taxonomy

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
GOLD_TYPE = {SkillKind.hard: "knowledge", SkillKind.soft: "skill"}
_ORIGIN = {PATTERN_CATEGORY: "tool shape", LIST_CATEGORY: "stack line",
           TAGGER_CATEGORY: "tagger"}


@dataclass
class Tally:
    predicted: int = 0
    gold: int = 0
    strict: int = 0  # true positives
    lenient: int = 0
    false_pos: Counter[str] = field(default_factory=Counter)
    false_neg: Counter[str] = field(default_factory=Counter)
    # predictions and lenient hits per extraction pass (taxonomy, tool shape, stack line)
    by_origin: Counter[tuple[str, bool]] = field(default_factory=Counter)

    def prf(self, hits: int) -> tuple[float, float, float]:
        p = hits / self.predicted if self.predicted else 0.0
        r = hits / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip(" .,;:!?()[]{}'\"-–")


def pair_mentions(pred: list[tuple[str, str, int, int]], gold: list[tuple[str, int, int]],
          lenient: bool) -> tuple[set[int], set[int]]:
    """Greedy one-to-one pairing; returns the indices of paired predictions and gold spans."""
    taxonomy = load_taxonomy()
    used_p: set[int] = set()
    used_g: set[int] = set()
    for gi, (gtext, gs, ge) in enumerate(gold):
        for pi, (ptext, pname, ps, pe) in enumerate(pred):
            if pi in used_p or ps >= ge or gs >= pe:
                continue
            a, b = norm(ptext), norm(gtext)
            alias = taxonomy.canonical(gtext.strip(" .,;:!?()"))
            same = a == b or (alias is not None and alias.name == pname)
            if same or (lenient and a and b and (a in b or b in a)):
                used_p.add(pi)
                used_g.add(gi)
                break
    return used_p, used_g


def score_posting(analysis: JobAnalysis, spans: list[dict], kind: SkillKind, tally: Tally) -> None:
    reqs = analysis.hard_skills if kind == SkillKind.hard else analysis.soft_skills
    pred = [(m.text, r.name, m.start, m.end) for r in reqs for m in r.mentions]
    origins = [_ORIGIN.get(r.category or "", "taxonomy") for r in reqs for _ in r.mentions]
    gold = [(s["text"], s["start"], s["end"]) for s in spans if s["type"] == GOLD_TYPE[kind]]
    tally.predicted += len(pred)
    tally.gold += len(gold)
    strict_p, _ = pair_mentions(pred, gold, lenient=False)
    lenient_p, lenient_g = pair_mentions(pred, gold, lenient=True)
    tally.strict += len(strict_p)
    tally.lenient += len(lenient_p)
    tally.false_pos.update(norm(pred[i][0]) for i in range(len(pred)) if i not in lenient_p)
    tally.by_origin.update((origin, i in lenient_p) for i, origin in enumerate(origins))
    tally.false_neg.update(norm(gold[i][0]) for i in range(len(gold)) if i not in lenient_g)


def run_split(path: Path, errors: int) -> None:
    postings = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    parse_posting(postings[0]["text"])  # warm-up: the matcher is built once per process
    tallies = {SkillKind.hard: Tally(), SkillKind.soft: Tally()}
    timings = []
    for posting in postings:
        started = time.perf_counter()
        analysis = parse_posting(posting["text"])
        timings.append((time.perf_counter() - started) * 1000)
        for kind, tally in tallies.items():
            score_posting(analysis, posting["spans"], kind, tally)
    chars = statistics.mean(len(p["text"]) for p in postings)
    print(f"\n{path.name}: {len(postings)} postings, {chars:.0f} characters on average")
    print(f"{'':28}{'P':>7}{'R':>7}{'F1':>7}   predicted / gold")
    for kind, tally in tallies.items():
        for mode, hits in (("strict", tally.strict), ("lenient", tally.lenient)):
            p, r, f = tally.prf(hits)
            label = f"{kind.value} vs {GOLD_TYPE[kind]} ({mode})"
            print(f"{label:28}{p:7.3f}{r:7.3f}{f:7.3f}   {tally.predicted} / {tally.gold}")
    hard = tallies[SkillKind.hard]
    parts = []
    for origin in ("taxonomy", "tool shape", "stack line", "tagger"):
        hits, misses = hard.by_origin[(origin, True)], hard.by_origin[(origin, False)]
        if hits + misses:
            parts.append(f"{origin} {hits + misses} (P {hits / (hits + misses):.2f})")
    print(f"hard predictions by pass (lenient precision): {', '.join(parts)}")
    timings.sort()
    print(f"analysis time per posting: mean {statistics.mean(timings):.1f} ms, "
          f"median {statistics.median(timings):.1f} ms, "
          f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms")
    if errors:
        hard = tallies[SkillKind.hard]
        print(f"hard false positives (lenient): {hard.false_pos.most_common(errors)}")
        print(f"hard misses (lenient): {hard.false_neg.most_common(errors)}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Skill extraction benchmark on SkillSpan")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="the shared data folder holding skillspan/ (default ../shared/data)")
    parser.add_argument("--split", nargs="+", default=["dev", "train"])
    parser.add_argument("--errors", type=int, default=0, help="show the N commonest errors")
    args = parser.parse_args()
    folder = args.data / "skillspan"
    if not folder.is_dir():
        print(f"SkillSpan data not found at {folder}; pass --data DIR (the folder holding "
              "skillspan/). Skipping the extraction benchmark.")
        return
    started = time.perf_counter()
    load_taxonomy()
    from pipeline.taxonomy.matcher import get_matcher

    get_matcher()
    print(f"taxonomy + matcher load: {time.perf_counter() - started:.2f} s")
    for split in args.split:
        path = folder / f"skillspan_{split}.postings.jsonl"
        if path.is_file():
            run_split(path, args.errors)
        else:
            print(f"{path} not found; skipped")


if __name__ == "__main__":
    main()
