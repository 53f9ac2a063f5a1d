"""What a template shows, built from a Resume: sections of entries and lines, each droppable
piece tagged with its JSON path so the fitter can measure it on the page and leave it out.

Templates only lay this out; the choice of sections, their standard headings (the ones an
ATS looks for) and the order is made here, once for every design.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.compile.escape import display_url
from pipeline.jsonresume import Resume

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class Unit:
    """A piece of text that may be dropped to fit the page; `path` names it in the resume."""

    path: str
    text: str
    mark: str = ""  # the id the template writes into the TeX log with its position


@dataclass
class Entry:
    title: str
    org: str = ""
    where: str = ""
    dates: str = ""
    summary: Unit | None = None
    bullets: list[Unit] = field(default_factory=list)
    extra: Unit | None = None  # a trailing line such as a project's technologies
    path: str = ""  # set when the whole entry may be dropped (secondary sections)
    mark: str = ""


@dataclass
class LabelledLine:
    """One "label: text" line of a section without entries (a skills group, a language)."""

    label: str
    text: str
    path: str = ""
    mark: str = ""


@dataclass
class SectionView:
    title: str
    entries: list[Entry] = field(default_factory=list)
    lines: list[LabelledLine] = field(default_factory=list)
    # Set when every entry or line in it may be dropped: then dropping them all frees the
    # heading too, which the fitter counts.
    path: str = ""
    mark: str = ""

    def children(self) -> list[str]:
        return [e.path for e in self.entries] + [line.path for line in self.lines]


@dataclass
class Contact:
    text: str
    url: str = ""


@dataclass
class DocumentView:
    name: str
    label: str
    contacts: list[Contact]
    summary: Unit | None
    sections: list[SectionView]

    def units(self) -> Iterable[tuple[str, str]]:
        """(mark, path) of every droppable piece, in document order."""
        if self.summary and self.summary.mark:
            yield self.summary.mark, self.summary.path
        for section in self.sections:
            if section.mark:
                yield section.mark, section.path
            for entry in section.entries:
                if entry.mark:
                    yield entry.mark, entry.path
                for unit in (entry.summary, *entry.bullets, entry.extra):
                    if unit is not None and unit.mark:
                        yield unit.mark, unit.path
            for line in section.lines:
                if line.mark:
                    yield line.mark, line.path


    def texts(self) -> dict[str, str]:
        """Path → the text a droppable piece shows (an entry: all of it)."""
        out: dict[str, str] = {}
        if self.summary:
            out[self.summary.path] = self.summary.text
        for section in self.sections:
            for entry in section.entries:
                parts = [entry.title, entry.org, entry.where]
                for unit in (entry.summary, *entry.bullets, entry.extra):
                    if unit is not None:
                        parts.append(unit.text)
                        if unit.path:
                            out[unit.path] = unit.text
                if entry.path:
                    out[entry.path] = " ".join(parts)
            for line in section.lines:
                out[line.path] = f"{line.label} {line.text}"
        return out

    def fixed_text(self) -> str:
        """Everything no fit may drop (name, titles, dates, education, skills lines): a
        keyword found here reads back whatever else goes."""
        parts = [self.name, self.label, *(c.text for c in self.contacts)]
        for section in self.sections:
            for entry in section.entries:
                if entry.path:
                    continue
                parts += [entry.title, entry.org, entry.where]
                parts += [u.text for u in (entry.summary, *entry.bullets, entry.extra)
                          if u is not None and not u.path]
            parts += [f"{line.label} {line.text}" for line in section.lines if not line.path]
        return "\n".join(parts)

    def groups(self) -> dict[str, list[str]]:
        """Section path → the paths whose dropping together removes the whole section."""
        return {s.path: s.children() for s in self.sections if s.path}


def format_date(value: str | None) -> str:
    if not value:
        return ""
    if len(value) >= 7:
        return f"{_MONTHS[int(value[5:7]) - 1]} {value[:4]}"
    return value[:4]


def date_range(start: str | None, end: str | None) -> str:
    if start and not end:
        return f"{format_date(start)} – Present"
    if start and end and format_date(start) != format_date(end):
        return f"{format_date(start)} – {format_date(end)}"
    return format_date(end or start)


def _join(*parts: str | None, sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)


class _Builder:
    """Builds the view, skipping dropped paths and numbering the droppable pieces."""

    def __init__(self, dropped: frozenset[str]) -> None:
        self.dropped = dropped
        self.count = 0

    def mark(self) -> str:
        self.count += 1
        return str(self.count)

    def unit(self, path: str, text: str | None) -> Unit | None:
        if not text or path in self.dropped:
            return None
        return Unit(path, text, self.mark())

    def bullets(self, path: str, items: list[str]) -> list[Unit]:
        units = (self.unit(f"{path}[{i}]", text) for i, text in enumerate(items))
        return [u for u in units if u is not None]

    def entry(self, path: str | None, *, droppable: bool, **fields: object) -> Entry | None:
        if path and path in self.dropped:
            return None
        entry = Entry(**fields)  # type: ignore[arg-type]
        if droppable and path:
            entry.path, entry.mark = path, self.mark()
        return entry


def _contacts(resume: Resume) -> list[Contact]:
    b = resume.basics
    out: list[Contact] = []
    if b.location:
        loc = b.location
        place = _join(loc.city, loc.region or loc.countryCode)
        if place:
            out.append(Contact(place))
    if b.email:
        out.append(Contact(b.email, f"mailto:{b.email}"))
    if b.phone:
        dial = "".join(c for c in b.phone if c.isdigit() or c == "+")
        out.append(Contact(b.phone, f"tel:{dial}"))
    if b.url:
        out.append(Contact(display_url(b.url), b.url))
    for profile in b.profiles:
        text = display_url(profile.url) or _join(profile.network, profile.username, sep=": ")
        if text:
            out.append(Contact(text, profile.url or ""))
    return out


def build_view(resume: Resume, dropped: Iterable[str] = ()) -> DocumentView:
    """The document a template lays out, without the pieces at `dropped` paths."""
    bld = _Builder(frozenset(dropped))
    r = resume
    sections: list[SectionView] = []

    def add(title: str, entries: Iterable[Entry | None] = (),
            lines: Iterable[LabelledLine] = ()) -> None:
        kept = [e for e in entries if e is not None]
        kept_lines = list(lines)
        if kept or kept_lines:
            section = SectionView(title, kept, kept_lines)
            if all(e.path for e in kept) and all(line.path for line in kept_lines):
                section.path, section.mark = f"section:{title}", bld.mark()
            sections.append(section)

    add("Experience", (bld.entry(
        f"work[{i}]", droppable=False, title=w.position or w.name or "",
        org=w.name if w.position else "", where=w.location or "",
        dates=date_range(w.startDate, w.endDate),
        summary=bld.unit(f"work[{i}].summary", w.summary),
        bullets=bld.bullets(f"work[{i}].highlights", w.highlights)) for i, w in enumerate(r.work)))
    add("Projects", (bld.entry(
        f"projects[{i}]", droppable=True, title=p.name or "", org=_join(p.entity, *p.roles),
        dates=date_range(p.startDate, p.endDate),
        summary=bld.unit(f"projects[{i}].description", p.description),
        bullets=bld.bullets(f"projects[{i}].highlights", p.highlights),
        extra=bld.unit(f"projects[{i}].keywords", _join(*p.keywords)),
    ) for i, p in enumerate(r.projects)))
    add("Education", (bld.entry(
        None, droppable=False, title=_join(e.studyType, e.area), org=e.institution or "",
        dates=date_range(e.startDate, e.endDate),
        summary=Unit("", _join(f"GPA: {e.score}" if e.score else None,
                               f"Courses: {', '.join(e.courses)}" if e.courses else None,
                               sep="; ")) if (e.score or e.courses) else None,
    ) for e in r.education))
    add("Skills", lines=(LabelledLine(s.name or "", _join(s.level if not s.keywords else None,
                                                          *s.keywords)) for s in r.skills))
    add("Certifications", (bld.entry(
        f"certificates[{i}]", droppable=True, title=c.name or "", org=c.issuer or "",
        dates=format_date(c.date)) for i, c in enumerate(r.certificates)))
    add("Awards", (bld.entry(
        f"awards[{i}]", droppable=True, title=a.title or "", org=a.awarder or "",
        dates=format_date(a.date),
        summary=bld.unit(f"awards[{i}].summary", a.summary)) for i, a in enumerate(r.awards)))
    add("Publications", (bld.entry(
        f"publications[{i}]", droppable=True, title=p.name or "", org=p.publisher or "",
        dates=format_date(p.releaseDate),
        summary=bld.unit(f"publications[{i}].summary", p.summary),
    ) for i, p in enumerate(r.publications)))
    add("Volunteer Experience", (bld.entry(
        f"volunteer[{i}]", droppable=True, title=v.position or v.organization or "",
        org=v.organization if v.position else "", dates=date_range(v.startDate, v.endDate),
        summary=bld.unit(f"volunteer[{i}].summary", v.summary),
        bullets=bld.bullets(f"volunteer[{i}].highlights", v.highlights),
    ) for i, v in enumerate(r.volunteer)))
    add("Languages", lines=_optional_lines(bld, "languages", (
        (lang.language or "", lang.fluency or "") for lang in r.languages)))
    add("Interests", lines=_optional_lines(bld, "interests", (
        (i.name or "", _join(*i.keywords)) for i in r.interests)))
    summary = bld.unit("basics.summary", r.basics.summary)
    return DocumentView(r.basics.name or "", r.basics.label or "", _contacts(r), summary, sections)


def _optional_lines(bld: _Builder, key: str,
                    pairs: Iterable[tuple[str, str]]) -> list[LabelledLine]:
    lines = []
    for i, (label, text) in enumerate(pairs):
        path = f"{key}[{i}]"
        if (label or text) and path not in bld.dropped:
            lines.append(LabelledLine(label, text, path, bld.mark()))
    return lines
