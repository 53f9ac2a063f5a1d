"""Train the hard-skill mention filter (pipeline.parse.mention_filter) on SkillSpan's train split
and write pipeline/data/mention_filter.json.

    python scripts/train_mention_filter.py [--data ../shared/data] [--out PATH]

Every hard-skill mention the extractor finds in a train posting is labelled by whether it pairs
with an expert `knowledge` span under the benchmark's lenient rule (bench.extraction); an
L2-regularised logistic regression (Newton's method, numpy) learns which ones the experts
counted. It learns from every mention (the skills of the requirement sections teach it the
skills; fitted on the judged ones alone it cross-validated a little lower, 0.650 against
0.652), and the threshold is chosen for what the filter does: judge only the mentions
mention_filter.judged_mentions names and keep the others. The regularisation and the
probability threshold are chosen by 5-fold cross-validation over postings of the train split,
maximising set-level lenient F1 as the benchmark computes it (every gold span counts,
including those no mention reaches). The dev split is never read here: `python -m
bench.extraction` reports it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extraction import DEFAULT_DATA, pair_mentions  # noqa: E402
from pipeline.models import SkillKind  # noqa: E402
from pipeline.parse import posting, skill_tagger  # noqa: E402
from pipeline.parse.mention_filter import (  # noqa: E402
    MODEL_PATH,
    judged_mentions,
    mention_features,
)
from pipeline.parse.sections import split_lines  # noqa: E402

MIN_COUNT = 3  # a feature seen in fewer train mentions gets no weight
FOLDS = 5
L2_GRID = (1.0, 3.0, 10.0)
THRESHOLDS = [round(t, 2) for t in np.arange(0.10, 0.70, 0.02)]


@dataclass
class Posting:
    id: str
    features: list[list[str]]
    labels: list[int]
    judged: list[bool]  # whether the filter judges the mention (else it is always kept)
    gold: int  # knowledge spans, reached or not


def candidates(record: dict) -> Posting:
    """The extractor's hard-skill mentions of one posting, as parse_posting places them."""
    text = record["text"].replace("\r\n", "\n").replace("\r", "\n")
    lines = split_lines(text)
    placed = [m for m in posting.skill_mentions(text, lines, posting.find_title_line(text, lines))
              if m.hit.kind == SkillKind.hard]
    gold = [(s["text"], s["start"], s["end"]) for s in record["spans"]
            if s["type"] == "knowledge"]
    pred = [(m.hit.text, m.hit.entry.name, m.hit.start, m.hit.end) for m in placed]
    paired, _ = pair_mentions(pred, gold, lenient=True)
    return Posting(record["id"], mention_features(text, lines, placed),
                   [int(i in paired) for i in range(len(placed))],
                   judged_mentions(lines, placed), len(gold))


def design(postings: list[Posting], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    rows = [f for p in postings for f in p.features]
    x = np.zeros((len(rows), len(vocab)))
    for i, features in enumerate(rows):
        for name in features:
            j = vocab.get(name)
            if j is not None:
                x[i, j] = 1.0
    y = np.array([label for p in postings for label in p.labels], dtype=float)
    return x, y


def fit(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Logistic regression by Newton's method; the bias (column 0) is not penalised."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 1e-6
    for _ in range(30):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-5:
            break
    return w


def f1(prob: np.ndarray, y: np.ndarray, postings: list[Posting], threshold: float) -> float:
    """Set-level lenient F1 over the postings: the judged mentions kept at `threshold`, every
    other mention kept."""
    judged = np.array([j for p in postings for j in p.judged])
    kept = ~judged | (prob >= threshold)
    gold = sum(p.gold for p in postings)
    return 2 * float(y[kept].sum()) / (kept.sum() + gold) if gold else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    skill_tagger.ENABLED = False  # the filter was trained on the extractor's hits alone
    source = args.data / "skillspan" / "skillspan_train.postings.jsonl"
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    postings = [candidates(record) for record in records]
    counts = Counter(name for p in postings for f in p.features for name in set(f))
    names = ["bias", *sorted(n for n, c in counts.items() if c >= MIN_COUNT and n != "bias")]
    vocab = {name: i for i, name in enumerate(names)}
    x, y = design(postings, vocab)
    judged = sum(j for p in postings for j in p.judged)
    print(f"{len(postings)} train postings, {len(y)} hard-skill mentions ({int(y.sum())} "
          f"counted by the experts; {judged} in the judged sections), "
          f"{sum(p.gold for p in postings)} knowledge spans, {len(vocab)} features")
    print(f"unfiltered: lenient F1 {f1(np.ones(len(y)), y, postings, 0.5):.3f}")

    order = [p.id for p in postings]
    random.Random(0).shuffle(order)
    fold_of = {pid: i % FOLDS for i, pid in enumerate(order)}
    row_fold = np.array([fold_of[p.id] for p in postings for _ in p.labels])
    best = (-1.0, 0.0, 0.0)
    for l2 in L2_GRID:
        held_out = np.zeros(len(y))
        for k in range(FOLDS):
            train = row_fold != k
            w = fit(x[train], y[train], l2)
            held_out[~train] = 1.0 / (1.0 + np.exp(-(x[~train] @ w)))
        score, threshold = max((f1(held_out, y, postings, t), t) for t in THRESHOLDS)
        print(f"l2 {l2:g}: cross-validated lenient F1 {score:.3f} at threshold {threshold}")
        best = max(best, (score, l2, threshold))
    score, l2, threshold = best
    w = fit(x, y, l2)
    weights = {name: round(float(w[i]), 4) for name, i in vocab.items() if abs(w[i]) >= 1e-4}
    args.out.write_text(json.dumps({
        "about": "Hard-skill mention filter (pipeline.parse.mention_filter), trained by "
                 "scripts/train_mention_filter.py on SkillSpan's train split (Zhang et al., "
                 "NAACL 2022; MIT licence, see its LICENSE in the shared data).",
        "l2": l2,
        "threshold": threshold,
        "cross_validated_f1": round(score, 4),
        "mentions": len(y),
        "weights": weights,
    }, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(weights)} weights, l2 {l2:g}, threshold {threshold}, "
          f"cross-validated F1 {score:.3f}")


if __name__ == "__main__":
    main()
