"""The resume as a flat list of blocks in reading order, built from the same DocumentView the
LaTeX templates lay out, so the DOCX, Markdown and text resumes hold exactly what the PDF
holds, in its order and under its headings."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from pipeline.compile.content import DocumentView, Entry

BlockKind = Literal["name", "label", "contacts", "heading", "entry", "text", "bullet", "line"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    label: str = ""  # a skills line's label ("Languages"), an entry's dates


def entry_line(entry: Entry) -> str:
    """"Backend Engineer, Acme Logistics, Denver": the entry's title line without its dates."""
    return ", ".join(p for p in (entry.title, entry.org, entry.where) if p)


def blocks(view: DocumentView) -> Iterator[Block]:
    yield Block("name", view.name)
    if view.label:
        yield Block("label", view.label)
    if view.contacts:
        yield Block("contacts", " | ".join(c.text for c in view.contacts))
    if view.summary:
        yield Block("heading", "Summary")
        yield Block("text", view.summary.text)
    for section in view.sections:
        yield Block("heading", section.title)
        for entry in section.entries:
            yield Block("entry", entry_line(entry), label=entry.dates)
            if entry.summary:
                yield Block("text", entry.summary.text)
            for bullet in entry.bullets:
                yield Block("bullet", bullet.text)
            if entry.extra:
                yield Block("line", entry.extra.text, label="Technologies")
        for line in section.lines:
            yield Block("line", line.text, label=line.label)


def headings(view: DocumentView) -> list[str]:
    return [b.text for b in blocks(view) if b.kind == "heading"]
