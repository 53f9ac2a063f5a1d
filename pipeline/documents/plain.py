"""The resume as Markdown and as plain text, for pasting into application forms.

Markdown escapes the characters it would read as markup, so a resume line never turns into a
link, emphasis or a heading; plain text is the same content with no markup at all.
"""

from __future__ import annotations

import re

from pipeline.compile.content import DocumentView
from pipeline.documents.blocks import Block, blocks

# Inline markup (emphasis, code, links, HTML, table cells, strike-through); parentheses and
# `!` mean something only after a `]`, which is escaped.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# Markup only at the start of a line: headings, lists, quotes, setext underlines.
_MD_LINE_START = re.compile(r"^(\s*)([-+=#>]|\d+\.)", re.M)


def md_escape(text: str) -> str:
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\1\\\2", text)


def _dated(block: Block, text: str) -> str:
    return f"{text} ({block.label})" if block.label else text


def to_markdown(view: DocumentView) -> str:
    out: list[str] = []
    for block in blocks(view):
        text = md_escape(block.text)
        if block.kind == "name":
            out += [f"# {text}", ""]
        elif block.kind in ("label", "contacts"):
            out += [text, ""]
        elif block.kind == "heading":
            out += [f"## {text}", ""]
        elif block.kind == "entry":
            out += [f"### {_dated(block, text)}", ""]
        elif block.kind == "bullet":
            out.append(f"- {text}")
        elif block.kind == "line":
            out += [f"**{md_escape(block.label)}:** {text}" if block.label else text, ""]
        else:
            out += [text, ""]
    return _tidy(out)


def to_text(view: DocumentView) -> str:
    out: list[str] = []
    for block in blocks(view):
        if block.kind == "heading":
            out += ["", block.text.upper(), "-" * len(block.text)]
        elif block.kind == "entry":
            out += ["", _dated(block, block.text)]
        elif block.kind == "bullet":
            out.append(f"- {block.text}")
        elif block.kind == "line":
            out.append(f"{block.label}: {block.text}" if block.label else block.text)
        else:
            out.append(block.text)
    return _tidy(out)


def _tidy(lines: list[str]) -> str:
    """One blank line at most between blocks, none at the ends; a bullet list ends with one."""
    text = "\n".join(lines)
    text = re.sub(r"(^- .*\n)(?!- |\n)", r"\1\n", text, flags=re.M)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
