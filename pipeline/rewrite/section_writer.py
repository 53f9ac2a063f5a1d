"""The deterministic half of the rewrite stage, section by section: choose and order lines,
align terminology, order skills, and record provenance and relevance for each output path.

Works on `data`, the master resume as a JSON dict (so unknown keys round-trip), and reads
paths (`work[1].highlights[3]`) in the master's own indices. Kept as one module past 400
lines: every section shares the provenance bookkeeping, and splitting it would pass that
state between modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pipeline.jsonresume import Resume
from pipeline.models import (
    EditKind,
    EvidenceBasis,
    GuardRejection,
    JobAnalysis,
    MatchReport,
    Provenance,
    SkillKind,
    SkillRequirement,
)
from pipeline.rewrite.guard import Guard
from pipeline.rewrite.relevance import (
    RelevanceModel,
    align_terms,
    evidenced,
    is_area,
    is_role_or_field,
    preferred_form,
    recency,
    recency_since,
    shown_in_experience,
)
from pipeline.rewrite.skills_line import near_duplicates
from pipeline.score.resume_facts import parse_partial_date

# By position in the tailored order, then the last. Generous: the compile stage trims to
# the page by measured heights, least relevant first, and says why.
BULLETS_PER_JOB = (8, 6, 5, 4, 3, 3, 2)
MAX_PROJECTS, BULLETS_PER_PROJECT = 3, 3
# A role's best line (or its only text) is worth at least this, scaled by the role's recency:
# a current job shown with no line reads as a gap, a job from twelve years ago less so.
LEAD_BULLET_FLOOR = 0.45
# A certificate, award or degree-like credential naming a required skill: what a recruiter
# scans for, kept before most bullets.
CREDENTIAL_FLOOR = 0.6
# Volunteer roles, awards, publications, languages, interests: weighed below paid work of the
# same content, as a recruiter reads them.
SECONDARY_SHARE = 0.75
PROJECT_SHARE = 0.85  # side projects: a little below paid work of the same content
_DATE_FIELDS = {  # section → (start, end) date fields; one field when the item has one date
    "work": ("startDate", "endDate"), "volunteer": ("startDate", "endDate"),
    "projects": ("startDate", "endDate"), "certificates": ("date", "date"),
    "awards": ("date", "date"), "publications": ("releaseDate", "releaseDate"),
}
_ITEM_SECTIONS = {  # section → the fields that describe an item, for its relevance
    "volunteer": ("position", "organization", "summary"),
    "awards": ("title", "awarder", "summary"),
    "certificates": ("name", "issuer"),
    "publications": ("name", "publisher", "summary"),
    "languages": ("language", "fluency"),
    "interests": ("name",),
    "references": ("reference",),
}


@dataclass
class BulletDraft:
    """A bullet on its way to the provider: where it goes and what it may say."""

    output_path: str
    source_path: str
    source: str
    local: str  # terminology aligned, guard-checked: the fallback for any provider
    notes: list[str]
    edit: EditKind
    context: str
    terms: tuple[str, ...]
    container: list[str]
    index: int


@dataclass
class Keyword:
    text: str
    weight: float  # summed importance of the posting skills it names
    index: int  # place in its source list (-1: surfaced from elsewhere)
    sources: list[str]
    notes: str = ""
    surfaced: bool = False


def _index_of(path: str) -> str:
    """`skills[2].keywords[0]` → "2": the item index a keyword came from."""
    match = re.match(r"\w+\[(\d+)\]", path)
    return match.group(1) if match else ""


@dataclass
class SectionWriter:
    resume: Resume
    data: dict[str, Any]
    model: RelevanceModel
    swaps: dict[str, str]
    guard: Guard
    analysis: JobAnalysis
    report: MatchReport
    today: date = field(default_factory=date.today)
    provenance: list[Provenance] = field(default_factory=list)
    rejections: list[GuardRejection] = field(default_factory=list)
    relevance: dict[str, float] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)  # output path → what it is worth
    lines: list[BulletDraft] = field(default_factory=list)
    master: dict[str, Any] = field(init=False)
    required: dict[str, SkillRequirement] = field(init=False)

    def __post_init__(self) -> None:
        self.master = self.resume.to_json_dict()  # read-only: `data` is the one edited
        self.required = {s.name: s for s in self.analysis.skills()}

    # ------------------------------------------------------------ helpers

    def _aligned(self, text: str, output_path: str, source_path: str) -> tuple[str, list[str]]:
        """The line with the posting's terms, unless the guard objects (then as written)."""
        aligned, notes = align_terms(text, self.swaps)
        if aligned == text:
            return text, []
        verdict = self.guard.review(aligned, sources=[text], fallback=text,
                                    output_path=output_path, source_paths=[source_path],
                                    provider="local")
        if verdict.rejection is not None:
            self.rejections.append(verdict.rejection)
            return text, []
        return aligned, notes

    def _keep(self, output_path: str, source_path: str, *, moved: bool, detail: str = "") -> None:
        edit = EditKind.reordered if moved else EditKind.selected
        self.provenance.append(Provenance(output_path=output_path, source_paths=[source_path],
                                          edit=edit, detail=detail))

    def _drop(self, source_path: str, score: float, why: str) -> None:
        self.provenance.append(Provenance(
            output_path="", source_paths=[source_path], edit=EditKind.dropped,
            detail=f"least relevant of its entry: {why} (relevance {score:.2f})"))

    def _when(self, section: str, item: dict[str, Any]) -> tuple[float, str]:
        """An item's recency (by its end date; current when it has a start and no end) and
        its years in words ("2012–2014", "2021–now")."""
        start_key, end_key = _DATE_FIELDS.get(section, ("", ""))
        start, end = item.get(start_key), item.get(end_key)
        if not isinstance(start, str) or not start:
            start = end
        if not isinstance(start, str) or not start:
            return 0.5, ""
        ended = parse_partial_date(end, end=True) if isinstance(end, str) and end else None
        first, last = start[:4], (end[:4] if isinstance(end, str) and end else "now")
        words = first if first == last or start_key == end_key else f"{first}–{last}"
        return recency_since(ended, self.today), words

    def _terms(self, source_path: str, text: str) -> tuple[str, ...]:
        required = self.required
        names = self.model.skills_in(source_path, text)
        ranked = sorted(names, key=lambda n: -self.model.importance.get(n, 0.0))
        return tuple(preferred_form(required[n]) for n in ranked if n in required)

    def _bullets(self, item: dict[str, Any], out: str, src: str, texts: list[str], *,
                 limit: int, rec: float, context: str, when: str = "") -> float:
        """Choose and order one item's highlights; queue them for the provider."""
        scored = sorted(((self.model.score(f"{src}.highlights[{k}]", t, recency=rec), k, t)
                         for k, t in enumerate(texts)), key=lambda x: (-x[0], x[1]))
        kept, dropped = scored[:limit], scored[limit:]
        for score, k, text in dropped:
            path = f"{src}.highlights[{k}]"
            self._drop(path, score, self.model.why(path, text, when))
        highlights: list[str] = [text for _, _, text in kept]
        for new_k, (score, k, text) in enumerate(kept):
            out_path, src_path = f"{out}.highlights[{new_k}]", f"{src}.highlights[{k}]"
            local, notes = self._aligned(text, out_path, src_path)
            moved = new_k != k or out != src
            edit = EditKind.terminology if notes else (
                EditKind.reordered if moved else EditKind.selected)
            self.lines.append(BulletDraft(out_path, src_path, text, local, notes, edit, context,
                                          self._terms(src_path, text), highlights, new_k))
            # a role's best line is worth more than a third line elsewhere: a recent job shown
            # with no bullet at all reads as a gap
            self.relevance[out_path] = (max(score, LEAD_BULLET_FLOOR * rec) if new_k == 0
                                        else score)
            self.reasons[out_path] = self.model.why(src_path, text, when)
        if highlights:
            item["highlights"] = highlights
        else:
            item.pop("highlights", None)
        return max((s for s, _, _ in kept), default=0.0)

    def _align_field(self, item: dict[str, Any], key: str, out: str, src: str,
                     rec: float = 0.5, *, when: str = "", floor: float = 0.0) -> None:
        text = item.get(key)
        if isinstance(text, str) and text:
            score = self.model.score(f"{src}.{key}", text, recency=rec)
            self.relevance[f"{out}.{key}"] = max(score, floor)
            self.reasons[f"{out}.{key}"] = self.model.why(f"{src}.{key}", text, when)
            item[key], notes = self._aligned(text, f"{out}.{key}", f"{src}.{key}")
            if notes:
                self.provenance.append(Provenance(
                    output_path=f"{out}.{key}", source_paths=[f"{src}.{key}"],
                    edit=EditKind.terminology, detail="; ".join(notes)))

    # ------------------------------------------------------------ sections

    def work(self, order: list[int]) -> None:
        jobs = self.data.get("work", [])
        tailored = []
        for out_i, src_i in enumerate(order):
            job = dict(jobs[src_i])
            out, src = f"work[{out_i}]", f"work[{src_i}]"
            self._keep(out, src, moved=out_i != src_i, detail="jobs most recent first")
            limit = BULLETS_PER_JOB[min(out_i, len(BULLETS_PER_JOB) - 1)]
            context = " at ".join(p for p in (job.get("position"), job.get("name")) if p)
            rec, when = self._when("work", job)
            if not when:
                rec = recency(out_i)
            # a job told in its summary alone: that summary is its only text, its lead line
            only_text = not job.get("highlights")
            for key in ("summary", "description"):
                self._align_field(job, key, out, src, rec=rec, when=when,
                                  floor=LEAD_BULLET_FLOOR * rec if only_text else 0.0)
            self.relevance[out] = self._bullets(job, out, src, list(job.get("highlights", [])),
                                                limit=limit, rec=rec, context=context, when=when)
            tailored.append(job)
        if tailored:
            self.data["work"] = tailored

    def projects(self) -> None:
        projects = self.data.get("projects", [])
        scored = []
        for i, project in enumerate(projects):
            src = f"projects[{i}]"
            pieces = [(f"{src}.description", project.get("description") or ""),
                      *((f"{src}.highlights[{k}]", h)
                        for k, h in enumerate(project.get("highlights", []))),
                      *((f"{src}.keywords[{k}]", w)
                        for k, w in enumerate(project.get("keywords", [])))]
            rec = self._when("projects", project)[0]
            scores = [self.model.score(path, text, recency=rec) for path, text in pieces if text]
            value = 0.6 * max(scores, default=0) + 0.4 * sum(scores) / max(len(scores), 1)
            scored.append((round(value, 4), i))
        scored.sort(key=lambda x: (-x[0], x[1]))
        for score, i in scored[MAX_PROJECTS:]:
            self._drop(f"projects[{i}]", score, self._when("projects", projects[i])[1])
        tailored = []
        for out_i, (score, src_i) in enumerate(scored[:MAX_PROJECTS]):
            project = dict(projects[src_i])
            out, src = f"projects[{out_i}]", f"projects[{src_i}]"
            self._keep(out, src, moved=out_i != src_i, detail="projects by relevance")
            rec, when = self._when("projects", project)
            self._align_field(project, "description", out, src, rec, when=when)
            if project.get("keywords"):
                project["keywords"] = self._ordered_keywords(project["keywords"], out, src)
            self._bullets(project, out, src, list(project.get("highlights", [])),
                          limit=BULLETS_PER_PROJECT, rec=rec, context=project.get("name") or "",
                          when=when)
            self.relevance[out] = score
            self.relevance[f"{out}.keywords"] = score  # its "Technologies:" line
            self._scale(out, PROJECT_SHARE)
            texts = " ".join(str(project.get(k) or "") for k in ("name", "description"))
            self.reasons[out] = self.model.why(src, texts + " " + " ".join(
                project.get("keywords") or []), when)
            tailored.append(project)
        if projects:
            self.data["projects"] = tailored

    def _scale(self, entry: str, share: float) -> None:
        """An entry's relevance and its lines', times `share`."""
        for path in [p for p in self.relevance if p == entry or p.startswith(entry + ".")]:
            self.relevance[path] = round(self.relevance[path] * share, 4)

    def _ordered_keywords(self, keywords: list[str], out: str, src: str) -> list[str]:
        return self._emit_keywords(self._rank_keywords(keywords, src), out)

    def _rank_keywords(self, keywords: list[str], src: str) -> list[Keyword]:
        """Matched keywords first (most important first), terms aligned, the rest as written."""
        ranked = []
        present = {k.lower() for k in keywords}
        for k, keyword in enumerate(keywords):
            path = f"{src}.keywords[{k}]"
            aligned, notes = self._aligned(keyword, path, path)
            if aligned != keyword and aligned.lower() in present:
                aligned, notes = keyword, []  # "Sass" → "CSS" beside "CSS": keep both distinct
            present.add(aligned.lower())
            weight = sum(self.model.importance.get(n, 0.0)
                         for n in self.model.skills_in(path, keyword))
            ranked.append(Keyword(aligned, weight, k, [path], "; ".join(notes)))
        ranked.sort(key=lambda kw: (-kw.weight, kw.index))
        return ranked

    def _emit_keywords(self, ranked: list[Keyword], out: str) -> list[str]:
        """Record provenance for the keywords' final places; return their texts."""
        for new_k, kw in enumerate(ranked):
            path = f"{out}.keywords[{new_k}]"
            if kw.surfaced:
                edit, detail = EditKind.selected, kw.notes
            elif kw.notes:
                edit, detail = EditKind.terminology, kw.notes
            elif new_k != kw.index or not out.endswith(f"[{_index_of(kw.sources[0])}]"):
                edit, detail = EditKind.reordered, "matched keywords first"
            else:
                continue
            self.provenance.append(Provenance(output_path=path, source_paths=kw.sources[:3],
                                              edit=edit, detail=detail))
        return [kw.text for kw in ranked]

    def skills(self) -> None:
        groups = [dict(g) for g in self.data.get("skills", [])]
        ranked = [self._rank_keywords(list(g.get("keywords", [])), f"skills[{i}]")
                  for i, g in enumerate(groups)]
        weights = []
        for i, group in enumerate(groups):
            names = self.model.skills_in(f"skills[{i}].name", group.get("name") or "")
            weight = sum(self.model.importance.get(n, 0.0) for n in names)
            weights.append(weight + sum(kw.weight for kw in ranked[i]))
        surfaced = self._surfaceable([kw.text for entries in ranked for kw in entries]
                                     + [g.get("name") or "" for g in groups])
        if surfaced and not groups:
            groups, ranked, weights = [{"name": "Skills"}], [[]], [0.0]
        order = sorted(range(len(groups)), key=lambda i: (-weights[i], i))
        placed: dict[int, list[Keyword]] = {}
        for kw in surfaced:  # the group it shares a word with ("paid social" → Paid media)
            home = _home_group(kw.text, groups, ranked)
            placed.setdefault(order[0] if home is None else home, []).append(kw)
        for i, extra in placed.items():  # after the group's matched keywords, before its others
            cut = sum(1 for kw in ranked[i] if kw.weight > 0)
            ranked[i] = [*ranked[i][:cut], *extra, *ranked[i][cut:]]
        ranked = self._without_near_duplicates(ranked)
        tailored = []
        for out_i, src_i in enumerate(order):
            out = f"skills[{out_i}]"
            self._keep(out, f"skills[{src_i}]", moved=out_i != src_i,
                       detail="groups with matched keywords first")
            self.relevance[out] = round(min(1.0, 0.3 + weights[src_i]), 4)
            groups[src_i]["keywords"] = self._emit_keywords(ranked[src_i], out)
            tailored.append(groups[src_i])
        if tailored:
            self.data["skills"] = tailored

    def _without_near_duplicates(self, ranked: list[list[Keyword]]) -> list[list[Keyword]]:
        """Leave out a keyword that another one holds ("APIs" beside "REST APIs")."""
        flat = [kw for group in ranked for kw in group]
        dupes = near_duplicates([kw.text for kw in flat])
        gone = {id(flat[i]) for i in dupes}
        for i, container in dupes.items():
            if flat[i].surfaced:
                continue  # never on the master's skills line: nothing was left out
            self.provenance.append(Provenance(
                output_path="", source_paths=flat[i].sources[:3], edit=EditKind.dropped,
                detail=f"{flat[i].text!r} is in {container!r} on the skills line"))
        return [[kw for kw in group if id(kw) not in gone] for group in ranked]

    def _surfaceable(self, keywords: list[str]) -> list[Keyword]:
        """The hard skills the resume shows only outside its skills section (in its own
        words or not), to be named there: the honest way to raise the match rate."""
        listed: set[str] = set()
        for keyword in keywords:
            listed |= self.model.skills_in("", keyword)
        words = {k.lower() for k in keywords}
        required = {s.name: s for s in self.analysis.hard_skills}
        found: list[Keyword] = []
        for skill in evidenced(self.report):
            if (skill.kind != SkillKind.hard or skill.name not in required
                    or skill.name in listed or is_role_or_field(skill)
                    or is_area(required[skill.name])
                    or not shown_in_experience(skill)
                    or any(f.lower() in words for f in skill.resume_forms)):
                continue
            sources = [e for e in skill.evidence if e.text and e.basis == EvidenceBasis.named]
            if not sources:
                continue
            keyword = preferred_form(required[skill.name])
            texts = [self._source_text(e.path) or e.text for e in sources]
            verdict = self.guard.review(keyword, sources=texts, fallback="",
                                        output_path="skills", provider="local",
                                        source_paths=[e.path for e in sources])
            if verdict.rejection is not None:
                self.rejections.append(verdict.rejection)
                continue
            listed.add(skill.name)
            words.add(keyword.lower())
            found.append(Keyword(keyword, skill.importance, -1, [e.path for e in sources],
                                 f"surfaced: evidenced at {sources[0].path}", surfaced=True))
        return found

    def _source_text(self, path: str) -> str | None:
        """The master resume's text at a path like `work[1].highlights[3]`."""
        node: Any = self.master
        for key, index in re.findall(r"(\w+)(?:\[(\d+)\])?", path):
            node = node.get(key) if isinstance(node, dict) else None
            if index and isinstance(node, list):
                node = node[int(index)] if int(index) < len(node) else None
        return node if isinstance(node, str) else None

    def other_sections(self) -> None:
        """Items kept as written, each with a relevance the fitter can trim by: by the
        posting's skills they name and their dates, a credential naming a required skill
        (an AWS certification for a posting asking for AWS) kept before most bullets."""
        for section, fields in _ITEM_SECTIONS.items():
            for i, item in enumerate(self.data.get(section, [])):
                path = f"{section}[{i}]"
                text = " ".join(str(item.get(f) or "") for f in fields)
                self._keep(path, path, moved=False)
                rec, when = self._when(section, item)
                score = self.model.score(path, text, recency=rec) * SECONDARY_SHARE
                if section in ("certificates", "awards") and self.model.names_required(path,
                                                                                      text):
                    score = max(score, CREDENTIAL_FLOOR)
                self.relevance[path] = round(score, 4)
                self.reasons[path] = self.model.why(path, text, when)
                self._item_lines(section, item, path, rec, when)

    def _item_lines(self, section: str, item: dict[str, Any], path: str, rec: float,
                    when: str) -> None:
        """Relevance of an item's own summary and highlights (a volunteer role's), which the
        fitter may drop apart from the item."""
        lines = [(f"{path}.summary", item.get("summary")),
                 *((f"{path}.highlights[{k}]", h) for k, h in enumerate(item.get("highlights")
                                                                        or []))]
        for line_path, text in lines:
            if isinstance(text, str) and text and section in ("volunteer", "awards",
                                                              "publications"):
                self.relevance[line_path] = round(
                    self.model.score(line_path, text, recency=rec) * SECONDARY_SHARE, 4)
                self.reasons[line_path] = self.model.why(line_path, text, when)
        for i, _ in enumerate(self.data.get("education", [])):
            self._keep(f"education[{i}]", f"education[{i}]", moved=False)


_GROUP_WORD = re.compile(r"[a-z][a-z0-9+#]{2,}")


def _home_group(keyword: str, groups: list[dict[str, Any]],
                ranked: list[list[Keyword]]) -> int | None:
    """The skills group sharing the most words with `keyword` (its name and keywords), or
    None when none shares any."""
    words = set(_GROUP_WORD.findall(keyword.lower()))
    best, best_shared = None, 0
    for i, group in enumerate(groups):
        texts = [group.get("name") or "", *(kw.text for kw in ranked[i])]
        shared = len(words & set(_GROUP_WORD.findall(" ".join(texts).lower())))
        if shared > best_shared:
            best, best_shared = i, shared
    return best
