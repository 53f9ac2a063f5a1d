"""compile stage: TailoredResume → one-page PDF, with the parse-back check.

    predict heights (calibrated template) → choose drops → compile 1 ─ one page? ─ done
        └ overflow measured → choose more drops → compile 2 ─ one page? ─ done
                                                    └ (estimate short) measure again → 3
    Without a calibration (lualatex, or it failed) compile 1 takes everything and measures.
    Only when dropping every bullet and summary cannot fit does the layout tighten (down to
    the readability floors) and whole secondary entries become droppable.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.compile.content import DocumentView, build_view
from pipeline.compile.fit import (
    Measurement,
    apply_drops,
    choose_drops,
    drop_ranks,
    measure,
)
from pipeline.compile.fonts import choose_engine, fields_holding
from pipeline.compile.parseback import check_parse_back, extract_text
from pipeline.compile.predict import Plan, predicted_drops, put_back
from pipeline.compile.render import Engine, Layout, render_view, template_info
from pipeline.compile.sandbox import (
    TexConfig,
    TexRun,
    default_cache_dir,
    lost_characters,
    run_tex,
    warm_lualatex,
)
from pipeline.errors import CompileError, InvalidInput
from pipeline.floors import MIN_BODY_PT, MIN_MARGIN_IN
from pipeline.jsonresume import Resume
from pipeline.limits import MAX_TEX_SECONDS
from pipeline.models import CompiledResume, TailoredResume

MAX_COMPILES = 6


class TexBudget:
    """The TeX time one job may use, summed over its compiles: each compile gets at most
    what is left, so a document that is slow to set (long runs of specials, say) stops at
    the budget rather than at MAX_COMPILES times the per-compile timeout."""

    def __init__(self, seconds: float = MAX_TEX_SECONDS) -> None:
        self.seconds = seconds
        self.used = 0.0
        self.compiles = 0

    def config(self, config: TexConfig) -> TexConfig:
        left = self.seconds - self.used
        if left <= 0.05:
            raise self.exceeded()
        return replace(config, timeout_s=min(config.timeout_s, left))

    def run(self, tex: str, engine: Engine, config: TexConfig) -> TexRun:
        if engine == "lualatex":
            warm_lualatex(config)  # a setup step, not this job's time
        limited = self.config(config)
        started = time.perf_counter()
        try:
            return run_tex(tex, engine=engine, config=limited)
        except CompileError as exc:
            if "was stopped" in str(exc) and limited.timeout_s < config.timeout_s:
                raise self.exceeded(exc.log) from None
            raise
        finally:
            self.used += time.perf_counter() - started
            self.compiles += 1

    def exceeded(self, log: str = "") -> CompileError:
        return CompileError(f"TeX time limit for one resume reached: {self.used:.1f} s over "
                            f"{self.compiles} compile(s), limit {self.seconds:g} s "
                            "(MAX_TEX_SECONDS)", log=log)


def tightened(layout: Layout) -> Layout:
    """The template's layout squeezed once: smaller font and margins, tighter spacing; font
    and margins stop at the floors the ATS check holds every PDF to."""
    return Layout(font_pt=max(MIN_BODY_PT, layout.font_pt - 0.5),
                  margin_in=max(MIN_MARGIN_IN, round(layout.margin_in - 0.1, 2)),
                  spacing=max(0.5, round(layout.spacing * 0.7, 2)))


def compile_resume(tailored: TailoredResume, *, template: str = "classic",
                   keywords: Sequence[str] = (), tex_bin_dir: Path | None = None,
                   timeout_s: float = 20.0, cache_dir: Path | None = None,
                   use_format: bool = True,
                   max_tex_seconds: float = MAX_TEX_SECONDS) -> CompiledResume:
    """Render, compile and fit `tailored` on one page; check the text reads back (its name,
    every heading and each of `keywords`, in order). Returns the CompiledResume: the PDF, the
    .tex, what was trimmed or tightened, the compiles it took and the parse-back check.

    Raises InvalidInput for an unknown template or a character no font can set (naming the
    field), CompileError when TeX fails, the undroppable content exceeds a page, or the
    compiles together pass `max_tex_seconds`.
    """
    compiled, info = fit_resume(tailored, template=template, keywords=keywords,
                                tex_bin_dir=tex_bin_dir, timeout_s=timeout_s,
                                cache_dir=cache_dir, use_format=use_format,
                                max_tex_seconds=max_tex_seconds)
    return read_back(compiled, info, keywords)


@dataclass(frozen=True)
class FitInfo:
    """What the parse-back needs from the fitted document."""

    name: str
    headings: list[str]
    run: TexRun


def fit_resume(tailored: TailoredResume, *, template: str = "classic",
               keywords: Sequence[str] = (), tex_bin_dir: Path | None = None,
               timeout_s: float = 20.0, cache_dir: Path | None = None,
               use_format: bool = True,
               max_tex_seconds: float = MAX_TEX_SECONDS) -> tuple[CompiledResume, FitInfo]:
    """The fitted one-page PDF, without the parse-back (see `read_back`)."""
    budget = TexBudget(max_tex_seconds)
    info = template_info(template)
    resume = tailored.resume
    config = TexConfig(cache_dir=cache_dir or default_cache_dir(), tex_bin_dir=tex_bin_dir,
                       timeout_s=timeout_s, use_format=use_format)
    engine = choose_engine(resume)
    layout = info.layout
    predicted = Plan()
    # Only a keyword that nothing undroppable holds (the skills lines hold most) needs its
    # pieces kept for the parse-back; the others leave ranking to relevance.
    view = build_view(resume)
    fixed = view.fixed_text().casefold()
    keywords = [k for k in keywords if k and k.casefold() not in fixed]
    if engine == "pdflatex":
        predicted = predicted_drops(view, template, layout, config, lambda heights: drop_ranks(
            heights, tailored.relevance, view.texts(), keywords))
    dropped = list(predicted.dropped)
    compiles = 0
    while compiles < MAX_COMPILES:
        compiles += 1
        view = build_view(resume, dropped)
        tex, run = _render_and_run(view, template, layout, engine, config, resume, budget)
        engine = run.engine
        if run.pages == 1:
            back = put_back(predicted, run) if compiles == 1 else []
            if not back:
                break
            dropped = [p for p in dropped if p not in back]
            continue
        measurement = measure(run, dict(view.units()), view.groups())
        ranks = drop_ranks(measurement.heights, tailored.relevance, view.texts(), keywords)
        plan = choose_drops(measurement, ranks)
        if plan is None and layout == info.layout and tightened(layout) != layout:
            # Dropping everything droppable is not enough: tighten once, estimating the new
            # layout from this measurement.
            new = tightened(layout)
            gained = 2 * (layout.margin_in - new.margin_in) * 72.27
            measurement = measurement.rescaled(new.font_pt / layout.font_pt, gained)
            layout = new
            plan = choose_drops(measurement, ranks) or []
        elif plan is None:
            raise CompileError(f"{len(dropped)} pieces dropped and the content that may not be "
                               "dropped (name, contact, titles, dates, education) still does "
                               "not fit one page")
        elif not plan:  # measured as fitting, yet it did not: drop the least relevant piece
            plan = (choose_drops(Measurement(1.0, measurement.heights), ranks) or [])[:1]
            if not plan:
                raise CompileError("the content does not fit one page and nothing is left "
                                   "to drop")
        dropped.extend(plan)
    if run.pages != 1:
        raise CompileError(f"no one-page fit after {MAX_COMPILES} compiles")
    # An entry dropped after some of its bullets: report the entry only.
    dropped = [p for p in dropped if not any(p.startswith(q + ".") for q in dropped)]
    headings = (["Summary"] if view.summary else []) + [s.title for s in view.sections]
    return CompiledResume(
        template=template, engine=engine, pages=run.pages, compiles=compiles, trimmed=dropped,
        adjustments=layout.describe(info.layout), tex=tex, pdf=run.pdf,
        resume=apply_drops(resume, dropped)), FitInfo(view.name, headings, run)


def read_back(compiled: CompiledResume, info: FitInfo,
              keywords: Sequence[str] = ()) -> CompiledResume:
    """The parse-back stage: the PDF's text, and whether the name, headings and keywords
    read back from it."""
    text = extract_text(compiled.pdf)
    check = check_parse_back(text, name=info.name, headings=info.headings, keywords=keywords,
                             require_name=True)
    return compiled.model_copy(update={"text": text, "parse_back": check})


def _render_and_run(view: DocumentView, template: str, layout: Layout, engine: Engine,
                    config: TexConfig, resume: Resume,
                    budget: TexBudget) -> tuple[str, TexRun]:
    """One compile; a character the fonts lack becomes InvalidInput naming its field.

    pdflatex missing a glyph moves to lualatex (its fallback fonts cover far more); lualatex
    missing one means no installed font has it.
    """
    tex = render_view(view, template=template, layout=layout, engine=engine)
    try:
        return tex, budget.run(tex, engine, config)
    except CompileError as exc:
        lost = lost_characters(exc.log)
        if not lost:
            raise
        if engine == "pdflatex":
            return _render_and_run(view, template, layout, "lualatex", config, resume, budget)
        fields = fields_holding(resume, lost)
        chars = ", ".join(f"{c!r} (U+{ord(c):04X})" if len(c) == 1 else c for c in lost)
        raise InvalidInput(f"no installed font has the character(s) {chars}",
                           field=fields[0] if fields else None) from exc
