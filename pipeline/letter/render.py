"""The letter as LaTeX (the design's letter layout, `latex_templates/letter/`), compiled on
one page by the resume's sandboxed compiler, and as Markdown.

The letter layouts extend the resume designs, so a letter shares its resume's header, fonts
and colours, and its static preamble (the precompiled format is the same). When the letter
runs over a page it is set once more in the design's resume layout (smaller type and
margins), and then its third paragraph goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.compile.content import DocumentView, build_view
from pipeline.compile.escape import TexSafe, escape_tex
from pipeline.compile.fonts import foreign_characters
from pipeline.compile.render import Engine, Layout, template_environment, template_info
from pipeline.compile.sandbox import TexConfig, TexRun, default_cache_dir, run_tex
from pipeline.errors import CompileError
from pipeline.jsonresume import Resume
from pipeline.letter.write import CoverLetter

_META = re.compile(r"^\\#\{\s*layout:\s*(.*?)\s*\}\s*$", re.M)


@dataclass(frozen=True)
class CompiledLetter:
    template: str
    engine: Engine
    pages: int
    compiles: int
    tex: str
    pdf: bytes
    letter: CoverLetter  # as set (a paragraph may have been left out to fit)
    header: DocumentView  # the resume's name and contacts, as set at the top


def letter_layout(template: str) -> Layout:
    template_info(template)  # an unknown design fails here, naming the field
    env = template_environment()
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, f"letter/{template}.tex.j2")
    found = _META.search(source)
    settings = dict(item.split("=", 1) for item in (found.group(1) if found else "").split())
    return Layout(**{k: float(v) for k, v in settings.items()})


def header_view(resume: Resume) -> DocumentView:
    """The resume's name, label and contact block, without its sections."""
    view = build_view(resume)
    return DocumentView(view.name, view.label, view.contacts, None, [])


def render_letter(letter: CoverLetter, view: DocumentView, *, template: str, layout: Layout,
                  engine: Engine) -> str:
    name = escape_tex(view.name, breaks=False)
    context = {
        "doc": view, "letter": letter, "layout": layout, "engine": engine,
        "pdf_title": TexSafe(" -- ".join(p for p in (name, "Cover letter") if p)),
        "pdf_author": TexSafe(name),
    }
    return template_environment().get_template(f"letter/{template}.tex.j2").render(context)


def _engine(letter: CoverLetter, view: DocumentView) -> Engine:
    strings = [("letter", p) for p in (*letter.paragraphs, letter.salutation)]
    strings += [("basics", s) for s in (view.name, view.label, *(c.text for c in view.contacts))]
    return "lualatex" if foreign_characters(strings) else "pdflatex"


def compile_letter(letter: CoverLetter, resume: Resume, *, template: str = "classic",
                   tex_bin_dir: Path | None = None, timeout_s: float = 20.0,
                   cache_dir: Path | None = None) -> CompiledLetter:
    """The letter on one page. Raises CompileError when TeX fails or nothing fits."""
    view = header_view(resume)
    config = TexConfig(cache_dir=cache_dir or default_cache_dir(), tex_bin_dir=tex_bin_dir,
                       timeout_s=timeout_s)
    engine = _engine(letter, view)
    attempts = [(letter_layout(template), letter), (template_info(template).layout, letter)]
    if len(letter.paragraphs) > 3:  # the "what else I bring" paragraph goes last
        shorter = replace(letter, paragraphs=letter.paragraphs[:2] + letter.paragraphs[3:])
        attempts.append((template_info(template).layout, shorter))
    for compiles, (layout, version) in enumerate(attempts, start=1):
        tex = render_letter(version, view, template=template, layout=layout, engine=engine)
        run: TexRun = run_tex(tex, engine=engine, config=config)
        if run.pages == 1:
            return CompiledLetter(template, run.engine, 1, compiles, tex, run.pdf, version,
                                  view)
    raise CompileError(f"the cover letter does not fit one page ({run.pages} pages)")


def letter_markdown(letter: CoverLetter, view: DocumentView) -> str:
    from pipeline.documents.plain import md_escape

    lines = [f"# {md_escape(view.name)}", ""]
    contact = " | ".join(c.text for c in view.contacts)
    if contact:
        lines += [md_escape(contact), ""]
    lines += [letter.date, ""]
    facts = letter.facts
    if facts.company:
        lines.append(md_escape(facts.company) + ("  " if facts.role else ""))
    if facts.role:
        lines.append(f"Re: {md_escape(facts.role)}")
    if facts.company or facts.role:
        lines.append("")
    lines += [md_escape(letter.salutation), ""]
    for paragraph in letter.paragraphs:
        lines += [md_escape(paragraph), ""]
    lines += [letter.closing, "", md_escape(view.name)]
    return "\n".join(lines) + "\n"
