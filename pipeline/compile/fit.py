"""Fitting one page: measure the overflow once, choose what to drop, compile again.

Every droppable piece is bracketed by marks the template writes into the TeX log with their
page and vertical position (`\\pdfsavepos`), so one overflowing compile gives both the
overflow (how far the content runs past the page) and the height of every piece. The fitter
then drops the least relevant pieces whose heights cover the overflow, in one step, instead
of compiling once per dropped bullet. Name, contact, titles, dates and education are never
droppable: they are not marked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pipeline.compile.sandbox import TexRun
from pipeline.jsonresume import Resume

# Added to the measured overflow: glue lost at a page break, a split entry's discarded space
# and rounding. Measured over the example resumes and fixtures × templates, with the refill
# packing the page up to this margin: 8 pt left 2 of 30 fits short (a third compile), 12 pt
# none.
SAFETY_PT = 12.0

# The most relevant piece holding a keyword the posting asks for (one that nothing
# undroppable holds) ranks this much higher, so a matched skill's last mention is among the
# last things to go; its other mentions compete on relevance alone.
KEYWORD_BOOST = 0.3
_INDEX = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Measurement:
    overflow_pt: float  # > 0: this much must go; <= 0: fits
    heights: dict[str, float]  # path → height on the page, in points
    groups: dict[str, list[str]] = field(default_factory=dict)  # section → its droppables
    text_height_pt: float = 0.0

    def rescaled(self, factor: float, gained_pt: float) -> Measurement:
        """The estimate for a layout whose text is `factor` as tall and whose page holds
        `gained_pt` more (smaller font and margins). Wider lines are not counted, so the
        estimate errs towards dropping a little more."""
        content = self.overflow_pt - SAFETY_PT + self.text_height_pt
        height = self.text_height_pt + gained_pt
        return Measurement(content * factor - height + SAFETY_PT,
                           {p: h * factor for p, h in self.heights.items()}, self.groups, height)


def measure(run: TexRun, units: Mapping[str, str],
            groups: Mapping[str, list[str]] | None = None) -> Measurement:
    """Overflow and heights of the droppable pieces (`units`: mark id → path) from a run."""
    top, bottom = run.top_pt, run.top_pt - run.text_height_pt
    begins = {m.id: m for m in run.marks if m.kind == "b"}
    ends = {m.id: m for m in run.marks if m.kind == "e"}
    heights: dict[str, float] = {}
    for ident, path in units.items():
        b, e = begins.get(ident), ends.get(ident)
        if b is None or e is None:
            continue
        if b.page == e.page:
            heights[path] = b.y_pt - e.y_pt
        else:  # split over a page break: the part on each page
            heights[path] = (b.y_pt - bottom) + (top - e.y_pt) + (e.page - b.page - 1) * (
                top - bottom)
    used = 0.0
    for page in range(1, run.pages + 1):
        ys = [m.y_pt for m in run.marks if m.page == page]
        if ys:
            used += top - min(ys)
    used += (run.pages - 1) * run.gap_pt
    overflow = used - run.text_height_pt + SAFETY_PT if run.pages > 1 else -1.0
    return Measurement(overflow, heights, dict(groups or {}), run.text_height_pt)


def used_height(run: TexRun) -> float:
    """How far down the first page the content reaches, in points."""
    ys = [m.y_pt for m in run.marks if m.page == 1]
    return run.top_pt - min(ys) if ys else 0.0


def positional_relevance(path: str) -> float:
    """Relevance when the rewriter gave none: earlier jobs and earlier bullets matter more."""
    idx = [int(i) for i in _INDEX.findall(path)]
    first, second = (idx + [0, 0])[:2]
    section = path.split("[", 1)[0].split(".", 1)[0]
    base = {"basics": 0.95, "work": 0.9, "projects": 0.6, "volunteer": 0.35, "awards": 0.3,
            "publications": 0.3, "certificates": 0.3, "languages": 0.2, "interests": 0.1}
    value = base.get(section, 0.25) - 0.08 * first - 0.03 * second
    if path.endswith((".summary", ".description")):
        value += 0.02  # a role's summary outranks its own later bullets
    return max(0.0, min(1.0, value))


def _keyword_keepers(ranks: Mapping[str, float], texts: Mapping[str, str],
                     keywords: Iterable[str]) -> set[str]:
    """For each keyword, the most relevant piece holding it (an entry counts through its
    pieces, so a bullet is preferred to the entry around it)."""
    keepers: set[str] = set()
    folded = {p: texts.get(p, "").casefold() for p in ranks}
    for keyword in {k.casefold() for k in keywords if k}:
        holders = [p for p in ranks if keyword in folded[p] and not _is_entry(p)]
        holders = holders or [p for p in ranks if keyword in folded[p]]
        if holders:
            keepers.add(max(holders, key=lambda p: ranks[p]))
    return keepers


def drop_ranks(paths: Iterable[str], relevance: Mapping[str, float], texts: Mapping[str, str],
               keywords: Iterable[str] = ()) -> dict[str, float]:
    """How much each droppable piece is worth keeping (higher stays longer).

    A whole entry is as relevant as its most relevant piece. Each job's most relevant line
    (a bullet, or its summary when that is all it has) outranks every other piece when it is
    worth something (`LEAD_MIN`): a recent job shown with no line at all reads worse than a
    missing certificate or project, and one line is cheap. An old job's line that names
    nothing the posting asks for competes like any other piece.
    """
    ranks = {p: relevance.get(p, positional_relevance(p)) for p in paths}
    for path in _keyword_keepers(ranks, texts, keywords):
        ranks[path] = min(1.0, ranks[path] + KEYWORD_BOOST)
    for entry in [p for p in ranks if "." not in p and "[" in p]:
        ranks[entry] = max([ranks[entry]] + [r for p, r in ranks.items()
                                             if p.startswith(entry + ".")])
    best: dict[str, str] = {}
    for path in ranks:
        match = _JOB_LINE.fullmatch(path)
        if match and (match[1] not in best or ranks[path] > ranks[best[match[1]]]):
            best[match[1]] = path
    for path in best.values():
        if ranks[path] >= LEAD_MIN:
            ranks[path] = 1.0 + ranks[path]
    return ranks


# The rewriter floors a job's lead line at 0.45 × its recency (halving every five years):
# this keeps the lead of any job of the last few years, or of an older one whose line names
# what the posting asks for.
LEAD_MIN = 0.25
_JOB_LINE = re.compile(r"(work\[\d+\])\.(?:highlights\[\d+\]|summary|description)")


def _is_entry(path: str) -> bool:
    return bool(re.fullmatch(r"[a-z]+\[\d+\]", path)) and not path.startswith(
        ("languages", "interests"))


def _inside(path: str, outer: str) -> bool:
    return path.startswith(outer + ".")


def choose_drops(measurement: Measurement, relevance: Mapping[str, float]) -> list[str] | None:
    """The paths to drop so the content fits, least relevant first; None if it cannot fit.

    `relevance` ranks every droppable path (bullets, summaries, whole secondary entries).
    Greedy by relevance until the overflow is covered, then pieces are put back (most
    relevant first) while the surplus still covers them, so a tall irrelevant bullet does
    not cost a short relevant one. A section whose every piece goes takes its heading along.
    """
    need = measurement.overflow_pt
    if need <= 0:
        return []
    heights = measurement.heights
    paths = [p for p in heights if not p.startswith("section:")]
    # Least relevant first; on a tie a bullet goes before a whole entry, a later one first.
    order = sorted(paths, key=lambda p: (relevance[p], _is_entry(p), -paths.index(p)))
    chosen: list[str] = []
    emptied: set[str] = set()  # sections all of whose pieces are chosen
    covered = 0.0
    for path in order:
        if covered >= need:
            break
        if any(_inside(path, c) for c in chosen):
            continue
        covered += heights[path] - sum(heights[c] for c in chosen if _inside(c, path))
        chosen = [c for c in chosen if not _inside(c, path)] + [path]
        for section, children in measurement.groups.items():
            if section not in emptied and section in heights and set(children) <= set(chosen):
                emptied.add(section)
                covered += heights[section] - sum(heights.get(c, 0.0) for c in children)
    if covered < need:
        return None
    return _refill(chosen, emptied, covered - need, measurement, relevance)


def _refill(chosen: list[str], emptied: set[str], surplus: float, measurement: Measurement,
            relevance: Mapping[str, float]) -> list[str]:
    """Put back dropped pieces, most relevant first, while the space left holds them: the
    greedy pass overshoots, and a short relevant piece (a one-line language) may fit where
    a tall one went. A piece of an emptied section brings its heading back with it."""
    heights = measurement.heights
    heading = {s: heights[s] - sum(heights.get(c, 0.0) for c in measurement.groups[s])
               for s in emptied}
    for path in sorted(chosen, key=lambda p: -relevance[p]):
        if path in emptied:
            continue
        section = next((s for s in emptied if path in measurement.groups[s]), None)
        cost = heights[path] + (heading[section] if section else 0.0)
        if cost <= surplus:
            chosen.remove(path)
            surplus -= cost
            if section:
                emptied.discard(section)
    return chosen


def apply_drops(resume: Resume, dropped: Iterable[str]) -> Resume:
    """The resume without the dropped pieces (indices refer to `resume`)."""
    data = resume.model_dump(mode="json", by_alias=True, exclude_none=True)
    removals: list[tuple[list[object], int]] = []
    dropped = [p for p in dropped if not p.startswith("section:")]
    for path in dropped:
        parts: list[str | int] = []
        for name, index in re.findall(r"([A-Za-z$]+)|\[(\d+)\]", path):
            parts.append(int(index) if index else name)
        parent: object = data
        for part in parts[:-1]:
            parent = parent[part]  # type: ignore[index]
        last = parts[-1]
        if isinstance(last, int) and isinstance(parent, list):
            removals.append((parent, last))
        elif isinstance(parent, dict):
            parent.pop(last, None)
    # Marked first and removed together, so every index still means what it meant.
    for parent_list, index in removals:
        parent_list[index] = _REMOVED
    _purge(data)
    return Resume.model_validate(data)


_REMOVED = object()


def _purge(value: object) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _purge(item)
    elif isinstance(value, list):
        value[:] = [v for v in value if v is not _REMOVED]
        for item in value:
            _purge(item)
