"""Predicting the page before compiling: how tall each droppable piece and the whole document
will be, from font metrics and spacing constants measured once per template (`calibrate`).

The template writes a mark into the TeX log after every line of its structure (`\\rtl`) and
around every droppable piece (`\\rtb`/`\\rte`). Between two consecutive marks lies one
*segment* of a known kind — a section heading, an entry line, a bullet, a summary — whose
height is a constant of the template (its vertical spaces) plus one baseline skip per extra
line. Line counts come from TeX's own rule for these ragged-right paragraphs: breaks only at
spaces (hyphenation is off), interword glue may shrink, fewest lines wins (Knuth–Plass with
an infinitely stretchable right margin). Depths of the last lines telescope out of sums, so
the prediction of the total is as good as the line counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pipeline.compile.content import DocumentView, Entry, Unit
from pipeline.compile.escape import BREAK_EVERY, LONG_RUN, clean_text, tied_tail
from pipeline.compile.fit import Measurement, choose_drops, used_height
from pipeline.compile.render import Layout
from pipeline.compile.sandbox import TexConfig, TexRun

Run = tuple[str, str]  # (font key: rm, bf, it, sm; text)


@dataclass
class FontMetrics:
    widths: dict[str, float]  # character → width in points
    space: float
    shrink: float
    extra: float  # added to the space after a sentence
    fallback: float  # width of a character not measured
    scale: float = 1.0  # kerning and ligatures: set text over the sum of its characters

    def width(self, text: str) -> float:
        chars = sum(self.widths.get(c, self.fallback) for c in text if c != " ")
        return chars * self.scale + text.count(" ") * self.space


@dataclass
class Metrics:
    """A template's measurements at its default layout (see `calibrate`)."""

    fonts: dict[str, FontMetrics]
    text_width: float
    bullet_indent: float
    contact_sep: float
    text_height: float
    leads: dict[str, float]  # font key → baseline skip
    constants: dict[str, float] = field(default_factory=dict)  # segment key → height of line 1

    def constant(self, key: str) -> float:
        if key in self.constants:
            return self.constants[key]
        kind = key.split("<", 1)[0]
        same = [v for k, v in self.constants.items() if k.split("<", 1)[0] == kind]
        return max(same) if same else self.leads["rm"]


# --- line breaking -------------------------------------------------------------------------

_LINE_PENALTY = 10.0


def _words(runs: Sequence[Run], fonts: dict[str, FontMetrics], *,
           tie_last: bool = False) -> list[tuple[float, float, float]]:
    """(width, space after: natural, shrink) of every unbreakable piece of the runs; with
    `tie_last`, the last two words are one piece, as `escape.tie_last_word` sets them."""
    out: list[tuple[float, float, float]] = []
    for key, text in runs:
        font = fonts[key]
        for word in clean_text(text).split(" "):
            if not word:
                continue
            space, shrink = font.space, font.shrink
            if word[-1] in ".?!:" and not (len(word) > 1 and word[-2].isupper()):
                space += font.extra  # TeX's space after a sentence (\nonfrenchspacing)
                shrink /= 2 if word[-1] == ":" else 3
            elif word[-1] in ",;":
                shrink /= 1.25 if word[-1] == "," else 1.5
            chunks = [word] if len(word) <= LONG_RUN else [
                word[i:i + BREAK_EVERY] for i in range(0, len(word), BREAK_EVERY)]
            for chunk in chunks[:-1]:
                out.append((font.width(chunk), 0.0, 0.0))  # \allowbreak: no glue
            out.append((font.width(chunks[-1]), space, shrink))
    count = tied_tail(" ".join(text for _, text in runs)) if tie_last else 0
    if count and len(out) >= count:
        tail = out[-count:]
        width = sum(w + s for w, s, _ in tail[:-1]) + tail[-1][0]
        out[-count:] = [(width, tail[-1][1], tail[-1][2])]
    return out


def count_lines(runs: Sequence[Run], width: float, fonts: dict[str, FontMetrics], *,
                tie_last: bool = False) -> int:
    """Lines TeX sets `runs` in, ragged right in `width` points, without hyphenation.

    Optimal fit
    over the breakpoints: a line may shrink its spaces down to their shrink, at badness
    100·r³, and costs (linepenalty + badness)²; an overfull single word takes a line alone.
    """
    words = _words(runs, fonts, tie_last=tie_last)
    if not words:
        return 1
    n = len(words)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * n
    for i in range(n):  # a line starting at word i
        if best[i][0] == float("inf"):
            continue
        natural = shrink = 0.0
        room = width
        for j in range(i, n):
            natural += words[j][0]
            if natural - shrink > room and j > i:
                break
            if natural <= room or j == i:
                badness = 0.0
            else:
                badness = 100.0 * ((natural - room) / shrink) ** 3 if shrink else 10000.0
            cost = best[i][0] + (_LINE_PENALTY + min(badness, 10000.0)) ** 2
            if cost < best[j + 1][0]:
                best[j + 1] = (cost, best[i][1] + 1)
            natural += words[j][1]
            shrink += words[j][2]
    return max(1, best[n][1])


# --- the document as segments --------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One mark the template writes, in order: "l" ends a segment at `\\rtl`, "e" ends a
    droppable unit's segment at `\\rte`, "b" begins a piece, "E" ends an entry or a section
    (no height of its own). A segment is `key` set in `lines` lines of `lead`'s font."""

    mark: str
    path: str = ""
    key: str = ""
    lines: int = 1
    lead: str = "rm"


@dataclass
class Prediction:
    used_pt: float  # how far down the page the content reaches
    heights: dict[str, float]  # droppable path → height
    text_height_pt: float


def events(view: DocumentView, m: Metrics) -> list[Event]:
    """The marks `_base.tex.j2` writes for `view`, with the segment each one ends."""
    out = [Event("l", key="header" if view.label else "header-nolabel",
                 lines=_contact_lines(view, m), lead="sm")]

    def seg(kind: str, lines: int, unit: Unit | None = None, end: str = "e") -> None:
        key = f"{kind}<{_last_kind(out)}"
        if unit is not None and unit.mark:
            out.append(Event("b", unit.path))
            out.append(Event(end, unit.path, key, lines))
        else:
            out.append(Event("l", "", key, lines))

    if view.summary:
        seg("section", 1)
        seg("summary", _lines(m, [("rm", view.summary.text)]), view.summary)
    for section in view.sections:
        if section.path:
            out.append(Event("b", section.path))
        seg("section", 1)
        for entry in section.entries:
            _entry(entry, m, seg, out)
        for line in section.lines:
            label = f"{line.label}: " if line.label else ""
            unit = Unit(line.path, line.text, line.mark) if line.mark else None
            seg("line", _lines(m, [("bf", label), ("rm", line.text)]), unit)
        if section.path:
            out.append(Event("E", section.path))
    return out


def _last_kind(out: list[Event]) -> str:
    return next(e.key.split("<", 1)[0] for e in reversed(out) if e.key)


def _entry(entry: Entry, m: Metrics, seg: Callable[..., None], out: list[Event]) -> None:
    if entry.path:
        out.append(Event("b", entry.path))
    head = [("bf", entry.title), ("rm", "".join(f", {p}" for p in (entry.org, entry.where) if p))]
    dates = m.fonts["it"].width(entry.dates) + (m.fonts["rm"].space * 3 if entry.dates else 0)
    seg("entry", _lines(m, head, last_extra=dates))
    if entry.summary:
        seg("esummary", _lines(m, [("rm", entry.summary.text)]), entry.summary)
    for i, bullet in enumerate(entry.bullets):
        lines = _lines(m, [("rm", bullet.text)], width=m.text_width - m.bullet_indent,
                       tie_last=True)
        seg("bullet" if i else "bullet1", lines, bullet)
    if entry.extra:
        seg("extra", _lines(m, [("it", "Technologies: "), ("rm", entry.extra.text)]), entry.extra)
    if entry.path:
        out.append(Event("E", entry.path))


def _lines(m: Metrics, runs: Sequence[Run], *, width: float | None = None,
           last_extra: float = 0.0, tie_last: bool = False) -> int:
    width = width or m.text_width
    lines = count_lines(runs, width, m.fonts, tie_last=tie_last)
    if last_extra and lines == 1:  # the dates, pushed right: a second line if they collide
        total = sum(w + s for w, s, _ in _words(runs, m.fonts))
        # Templates differ in what they put between title, place and dates: only a clear
        # excess counts.
        lines += total + last_extra > width * 1.03
    return lines


def _contact_lines(view: DocumentView, m: Metrics) -> int:
    small = m.fonts["sm"]
    lines, used = 1, 0.0
    for contact in view.contacts:
        width = small.width(clean_text(contact.text))
        if used and used + m.contact_sep + width > m.text_width:
            lines, used = lines + 1, width
        else:
            used += (m.contact_sep if used else 0.0) + width
    return lines


def segment_height(event: Event, m: Metrics) -> float:
    return m.constant(event.key) + (event.lines - 1) * m.leads[event.lead] if event.key else 0.0


def predict(view: DocumentView, metrics: Metrics) -> Prediction:
    """Where the content of `view` would end, and each droppable piece's height."""
    pos = 0.0
    begins: dict[str, float] = {}
    heights: dict[str, float] = {}
    for event in events(view, metrics):
        pos += segment_height(event, metrics)
        if event.mark == "b":
            begins[event.path] = pos
        elif event.mark in "eE" and event.path:
            heights[event.path] = pos - begins[event.path]
    return Prediction(pos, heights, metrics.text_height)


# Added to the predicted overflow when dropping before the first compile: line counts and
# depths the prediction misses. Over the examples and fixtures × templates the prediction of
# a whole page was within 5 pt of the compile in all but one case (12 pt, an entry line).
PREDICT_SAFETY_PT = 10.0


@dataclass
class Plan:
    """The drops chosen before the first compile, and what chose them (for `put_back`)."""

    dropped: list[str] = field(default_factory=list)
    heights: dict[str, float] = field(default_factory=dict)  # predicted, every piece
    ranks: dict[str, float] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)


def predicted_drops(view: DocumentView, template: str, layout: Layout, config: TexConfig,
                    ranks: Callable[[dict[str, float]], dict[str, float]]) -> Plan:
    """What to drop before the first compile, from the predicted page; nothing when it is
    predicted to fit (or nothing is known): the compile then measures."""
    from pipeline.compile.calibrate import load_metrics  # calibrate imports this module

    metrics = load_metrics(template, layout, config)
    if metrics is None:
        return Plan()  # no calibration: the first compile measures instead
    pred = predict(view, metrics)
    overflow = pred.used_pt - pred.text_height_pt
    if overflow <= 0:
        return Plan()
    measurement = Measurement(overflow + PREDICT_SAFETY_PT, pred.heights, view.groups(),
                              pred.text_height_pt)
    ranked = ranks(pred.heights)
    return Plan(choose_drops(measurement, ranked) or [], pred.heights, ranked, view.groups())


# A page trimmed by prediction yet filled less than this gets its most relevant dropped
# pieces back, sized by the prediction in the space the compile left (a second compile).
UNDERFULL = 0.88


def put_back(plan: Plan, run: TexRun) -> list[str]:
    """Dropped pieces to restore when the compile came out clearly short of the page."""
    free = run.text_height_pt - used_height(run)
    if not plan.dropped or free < (1 - UNDERFULL) * run.text_height_pt:
        return []
    free -= PREDICT_SAFETY_PT
    gone = {s for s, children in plan.groups.items() if set(children) <= set(plan.dropped)}
    back: list[str] = []
    for path in sorted(plan.dropped, key=lambda p: -plan.ranks.get(p, 0.0)):
        section = next((s for s in gone if path in plan.groups[s]), None)
        cost = plan.heights.get(path, free + 1)
        if section:  # the first piece back brings its section's heading
            cost += plan.heights[section] - sum(plan.heights.get(c, 0.0)
                                                for c in plan.groups[section])
        if cost <= free:
            back.append(path)
            free -= cost
            gone.discard(section or "")
    return back
