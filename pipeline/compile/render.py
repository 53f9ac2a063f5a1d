"""Rendering a resume into LaTeX through the Jinja2 templates of the `latex_templates` package.

The delimiters (`\\VAR{}`, `\\BLOCK{}`, `\\#{}`) do not collide with TeX, and `finalize`
escapes every value by default: a template has to ask for raw LaTeX explicitly (`safe_url`,
or a `TexSafe` value built here), never remember to escape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

import jinja2
from pydantic import BaseModel, ConfigDict, Field

from pipeline.compile.content import DocumentView, build_view
from pipeline.compile.escape import TexSafe, escape_tex, safe_url, tie_last_word
from pipeline.errors import InvalidInput
from pipeline.floors import MIN_BODY_PT, MIN_MARGIN_IN
from pipeline.jsonresume import Resume

Engine = Literal["pdflatex", "lualatex"]
STATIC_END = "%%RT-STATIC-END\n"
_META = re.compile(r"^\\#\{\s*(description|layout):\s*(.*?)\s*\}\s*$", re.M)


class Layout(BaseModel):
    """Sizes a template is set in; the fitter may tighten them down to the readability floors
    (pipeline.floors, the same the ATS check applies), never below: there it drops content."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    font_pt: float = Field(10.5, ge=MIN_BODY_PT, le=14)
    margin_in: float = Field(0.5, ge=MIN_MARGIN_IN, le=1.5)
    spacing: float = Field(1.0, ge=0.5, le=2.0)  # scales the space between items and sections

    @property
    def leading_pt(self) -> str:
        return _pt(self.font_pt * 1.2)

    @property
    def small_pt(self) -> str:
        return _pt(self.font_pt - 1)

    @property
    def small_leading_pt(self) -> str:
        return _pt((self.font_pt - 1) * 1.2)

    @property
    def item_sep_pt(self) -> str:
        return _pt(1.0 * self.spacing)

    @property
    def entry_sep_pt(self) -> str:
        return _pt(4.0 * self.spacing)

    @property
    def section_sep_pt(self) -> str:
        return _pt(7.0 * self.spacing)

    def describe(self, default: Layout) -> list[str]:
        """What differs from the template's default, for CompiledResume.adjustments."""
        notes = []
        if self.font_pt != default.font_pt:
            notes.append(f"font {self.font_pt:g}pt (template default {default.font_pt:g}pt)")
        if self.margin_in != default.margin_in:
            notes.append(f"margins {self.margin_in:g}in (template default {default.margin_in:g}in)")
        if self.spacing != default.spacing:
            notes.append(f"spacing x{self.spacing:g} (template default x{default.spacing:g})")
        return notes


def _pt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    description: str
    layout: Layout


def _templates_dir() -> Path:
    return Path(str(resources.files("latex_templates")))


def _finalize(value: object) -> str:
    return escape_tex(value)


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_templates_dir()),
        block_start_string=r"\BLOCK{",
        block_end_string="}",
        variable_start_string=r"\VAR{",
        variable_end_string="}",
        comment_start_string=r"\#{",
        comment_end_string="}",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
    )
    env.filters["safe_url"] = safe_url
    env.filters["tie_last_word"] = tie_last_word
    return env


def template_environment() -> jinja2.Environment:
    """The one environment every .tex is rendered with (delimiters, escaping in finalize)."""
    return _environment()


@cache
def _template_info(name: str) -> TemplateInfo:
    path = _templates_dir() / f"{name}.tex.j2"
    meta = dict(_META.findall(path.read_text(encoding="utf-8")))
    settings = dict(item.split("=", 1) for item in meta.get("layout", "").split())
    layout = Layout(**{k: float(v) for k, v in settings.items()})
    return TemplateInfo(name, meta.get("description", ""), layout)


def list_templates() -> list[tuple[str, str]]:
    """(name, one-line description) of every template, sorted by name."""
    names = sorted(p.name.removesuffix(".tex.j2") for p in _templates_dir().glob("*.tex.j2")
                   if not p.name.startswith("_"))
    return [(n, _template_info(n).description) for n in names]


def template_info(name: str) -> TemplateInfo:
    if name not in {n for n, _ in list_templates()}:
        known = ", ".join(n for n, _ in list_templates())
        raise InvalidInput(f"unknown template {name!r} (known: {known})", field="template")
    return _template_info(name)


def render_view(view: DocumentView, *, template: str, layout: Layout, engine: Engine) -> str:
    """The whole .tex for a prepared view."""
    template_info(template)
    title_parts = [escape_tex(view.name, breaks=False), "Resume"]
    context = {
        "doc": view,
        "layout": layout,
        "engine": engine,
        "pdf_title": TexSafe(" -- ".join(p for p in title_parts if p)),
        "pdf_author": TexSafe(escape_tex(view.name, breaks=False)),
    }
    return _environment().get_template(f"{template}.tex.j2").render(context)


def render_tex(resume: Resume, *, template: str, layout: Layout | None = None,
               engine: Engine = "pdflatex") -> str:
    """The LaTeX source of `resume` in `template` (its default layout unless given)."""
    layout = layout or template_info(template).layout
    return render_view(build_view(resume), template=template, layout=layout, engine=engine)


def split_static(tex: str) -> tuple[str, str]:
    """(static preamble, rest): the first part is identical for every resume in a template."""
    head, sep, tail = tex.partition(STATIC_END)
    if not sep:
        raise ValueError("template has no static-preamble marker")
    return head, tail
