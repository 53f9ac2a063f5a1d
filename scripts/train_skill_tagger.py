"""Train the hard-skill phrase tagger (pipeline.parse.skill_tagger) on SkillSpan's train split
and write pipeline/data/skill_tagger.json.

    python scripts/train_skill_tagger.py [--data ../shared/data] [--out PATH]

Every line of a train posting is a sequence of tokens labelled B/I/O from the expert
`knowledge` spans; a linear-chain CRF (CRFsuite, L-BFGS with L1 and L2 penalties) learns them
from the runtime's own features (skill_tagger.line_features, reading the extractor's hits as
the runtime does). The penalties are chosen by 5-fold cross-validation over train postings
(the split of scripts/train_mention_filter.py), maximising the set-level lenient F1 of the
benchmark (bench.extraction) for what the runtime does: the extractor's hard-skill mentions
after the mention filter, plus the tagged phrases of the lines it tags, cleaned, where they
overlap no hit. (Tagged phrases in text under no heading of a headed posting also go through
the mention filter at run time; the cross-validation leaves that out.) The dev split is never
read here: `python -m bench.extraction` reports it. Deterministic: same data, same model.

The shipped model is the CRF's weights as JSON (rounded to 4 decimals), which
skill_tagger.TaggerModel decodes in plain Python; the script checks that it labels every train
line as CRFsuite does. Needs python-crfsuite (the `dev` extra); the runtime does not.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.extraction import DEFAULT_DATA, pair_mentions  # noqa: E402
from pipeline.models import Section  # noqa: E402
from pipeline.parse import parse_posting, posting, skill_tagger  # noqa: E402
from pipeline.parse.extraction import extract_skills  # noqa: E402
from pipeline.parse.sections import PostingLine, split_lines  # noqa: E402

FOLDS = 5
PENALTIES = ((0.05, 0.05), (0.1, 0.01), (0.2, 0.01))  # (c1, c2)
MAX_ITERATIONS = 100

Spans = list[tuple[str, int, int]]


@dataclass
class Line:
    features: list[tuple[str, ...]]
    labels: list[str]
    tokens: list[skill_tagger.Token]
    source: PostingLine
    section: Section
    tagged: bool  # whether the runtime tags this line


@dataclass
class Posting:
    id: str
    text: str
    lines: list[Line]
    hits: list[tuple[int, int]]
    known: dict[int, str]  # the extractor's hits by token (skill_tagger.known_tags)
    base: list[tuple[str, str, int, int]]  # the extractor's hard-skill mentions, filtered
    gold: Spans


def labels_of(tokens: list[skill_tagger.Token], gold: Spans) -> list[str]:
    labels = []
    for start, end, _ in tokens:
        label = "O"
        for _, g_start, g_end in gold:
            if g_start <= start and end <= g_end:
                first = not labels or labels[-1] == "O" or start == g_start
                label = "B" if first else "I"
                break
        labels.append(label)
    return labels


def prepare(record: dict) -> Posting:
    text = record["text"].replace("\r\n", "\n").replace("\r", "\n")
    lines = split_lines(text)
    title = posting.find_title_line(text, lines)
    found = extract_skills(text, (title.start, title.end) if title else None)
    known = skill_tagger.known_tags(text, found)
    gold = [(s["text"], s["start"], s["end"]) for s in record["spans"]
            if s["type"] == "knowledge"]
    analysis = parse_posting(text)  # the tagger is off: the extractor alone
    base = [(m.text, r.name, m.start, m.end) for r in analysis.hard_skills for m in r.mentions]
    sequences = []
    for line in lines:
        tokens = skill_tagger.tokens_of(text, line.start, line.end)
        if not tokens:
            continue
        section = Section.title if line is title else line.section
        sequences.append(Line(skill_tagger.line_features(line, tokens, known, section),
                              labels_of(tokens, gold), tokens, line, section,
                              section not in skill_tagger.UNTAGGED_SECTIONS))
    return Posting(record["id"], text, sequences, sorted((h.start, h.end) for h in found),
                   known, base, gold)


def train(lines: list[Line], path: Path, c1: float, c2: float) -> None:
    trainer = pycrfsuite.Trainer(verbose=False)
    for line in lines:
        trainer.append(line.features, line.labels)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": MAX_ITERATIONS,
                        "feature.possible_transitions": True})
    trainer.train(str(path))


def phrases(tagger: pycrfsuite.Tagger, p: Posting) -> list[tuple[str, str, int, int]]:
    """What the runtime adds to the posting (skill_tagger.find_phrases)."""
    added = []
    for line in p.lines:
        if line.tagged:
            for start, end in skill_tagger.line_phrases(p.text, tagger.tag(line.features),
                                                        line.tokens, p.hits):
                added.append((p.text[start:end], p.text[start:end], start, end))
    return added


def score(postings: list[Posting], added: dict[str, list]) -> tuple[float, float, float, int]:
    hits = predicted = gold = extra = 0
    for p in postings:
        pred = p.base + added.get(p.id, [])
        paired, _ = pair_mentions(pred, p.gold, lenient=True)
        hits += len(paired)
        predicted += len(pred)
        gold += len(p.gold)
        extra += len(added.get(p.id, []))
    precision, recall = hits / predicted, hits / gold
    return precision, recall, 2 * precision * recall / (precision + recall), extra


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=skill_tagger.MODEL_PATH)
    args = parser.parse_args()
    skill_tagger.ENABLED = False
    source = args.data / "skillspan" / "skillspan_train.postings.jsonl"
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    postings = [prepare(record) for record in records]
    tokens = sum(len(line.tokens) for p in postings for line in p.lines)
    print(f"{len(postings)} train postings, {tokens} tokens, "
          f"{sum(len(p.gold) for p in postings)} knowledge spans")
    p, r, f, _ = score(postings, {})
    print(f"extractor alone: lenient P {p:.3f} R {r:.3f} F1 {f:.4f}")

    order = [p.id for p in postings]
    random.Random(0).shuffle(order)
    fold_of = {pid: i % FOLDS for i, pid in enumerate(order)}
    best = (-1.0, 0.0, 0.0)
    with tempfile.TemporaryDirectory() as work:
        for c1, c2 in PENALTIES:
            added: dict[str, list] = {}
            for k in range(FOLDS):
                model = Path(work) / f"fold{k}.crfsuite"
                train([line for p in postings if fold_of[p.id] != k for line in p.lines],
                      model, c1, c2)
                tagger = pycrfsuite.Tagger()
                tagger.open(str(model))
                for p in postings:
                    if fold_of[p.id] == k:
                        added[p.id] = phrases(tagger, p)
                tagger.close()
            p, r, f, extra = score(postings, added)
            print(f"c1 {c1:g} c2 {c2:g}: cross-validated lenient P {p:.3f} R {r:.3f} "
                  f"F1 {f:.4f} ({extra} phrases added)")
            best = max(best, (f, c1, c2))
    f, c1, c2 = best
    with tempfile.TemporaryDirectory() as work:
        model = Path(work) / "full.crfsuite"
        train([line for p in postings for line in p.lines], model, c1, c2)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
        info = tagger.info()
        weights: dict[str, list[float]] = {}
        for (name, label), weight in sorted(info.state_features.items()):
            row = weights.setdefault(name, [0.0, 0.0, 0.0])
            row[skill_tagger.LABELS.index(label)] = round(weight, 4)
        transitions = {f"{a}>{b}": round(w, 4) for (a, b), w in sorted(info.transitions.items())}
        args.out.write_text(json.dumps({
            "about": "Hard-skill phrase tagger (pipeline.parse.skill_tagger): CRF weights "
                     "trained by scripts/train_skill_tagger.py on SkillSpan's train split "
                     "(Zhang et al., NAACL 2022; MIT licence, see its LICENSE in the shared "
                     "data).",
            "c1": c1,
            "c2": c2,
            "cross_validated_f1": round(f, 4),
            "transitions": transitions,
            "weights": weights,
        }, separators=(",", ":")) + "\n", encoding="utf-8")
        skill_tagger.load_model.cache_clear()
        shipped = skill_tagger.load_model(args.out)
        assert shipped is not None
        lines = [line for p in postings for line in p.lines]
        differ = sum(tagger.tag(line.features)
                     != shipped.tag(line.source, line.tokens, p.known, line.section)
                     for p in postings for line in p.lines)
        tagger.close()
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()[:12]
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB, sha256 {digest}): "
          f"c1 {c1:g} c2 {c2:g}, cross-validated F1 {f:.4f}; lines labelled unlike CRFsuite: "
          f"{differ} of {len(lines)}")


if __name__ == "__main__":
    main()
