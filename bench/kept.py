"""What a recruiter would keep: for each example resume and the posting it belongs with, every
line of experience (and each secondary entry) kept, reworded or dropped, and why (printed,
not asserted).

    python -m bench kept

Kept and reworded lines show what the rewrite stage found them worth (the required skills
they name, their years); dropped ones say whether the rewrite stage left them out (more lines
than an entry takes) or the one-page fit trimmed them, with the reason report.json gives.
"""

from __future__ import annotations

import textwrap
from datetime import date

from bench.tailor import pairs
from pipeline.inputs import load_posting, load_resume
from pipeline.letter.facts import value_at
from pipeline.models import EditKind, Provenance
from pipeline.tailor import TailorResult, run_tailor

TODAY = date(2026, 6, 1)  # fixed, so the years in the reasons do not move between runs
_LINE = 64


def _text(value: object) -> str:
    if isinstance(value, dict):
        value = next((value[k] for k in ("name", "title", "position", "organization",
                                         "language") if value.get(k)), "")
    return textwrap.shorten(str(value or ""), _LINE, placeholder="…")


def rows(result: TailorResult) -> list[tuple[str, str, str, str]]:
    """(what happened, path, text, why) for each line and secondary entry."""
    tailored = result.tailored
    master = result.report.provenance
    data = tailored.resume.to_json_dict()
    trims = {t.path: t for t in result.report.trims}
    out: list[tuple[str, str, str, str]] = []
    lines = [p for p in master if _is_line(p) and p.edit != EditKind.dropped]
    for prov in lines:
        path = prov.output_path
        trim = trims.get(path)
        if trim is not None:
            out.append(("trimmed", path, _text(trim.text), trim.reason))
            continue
        what = "reworded" if prov.edit in (EditKind.terminology, EditKind.rewritten) else "kept"
        why = tailored.reasons.get(path, "")
        if what == "reworded":
            why = f"{prov.detail}; {why}" if why else prov.detail
        out.append((what, path, _text(value_at(data, path)), why))
    seen = {p.output_path for p in lines}
    for path, trim in trims.items():
        if path not in seen:
            out.append(("trimmed", path, _text(trim.text), trim.reason))
    for prov in master:
        if prov.edit == EditKind.dropped and _is_line_path(prov.source_paths[0]):
            out.append(("dropped", prov.source_paths[0], "", prov.detail))
    return out


def _is_line(prov: Provenance) -> bool:
    return _is_line_path(prov.output_path)


def _is_line_path(path: str) -> bool:
    return (".highlights[" in path or path.endswith((".summary", ".description"))
            or path.split("[", 1)[0] in ("certificates", "awards", "publications",
                                         "volunteer", "projects")
            and path.count("[") == 1) and not path.startswith("basics")


def main() -> None:
    for resume_path, posting_path in pairs():
        result = run_tailor(load_resume(resume_path), load_posting(posting_path), today=TODAY)
        print(f"\n{resume_path.name} × {posting_path.name}: match "
              f"{result.before.match_rate:.0%} → {result.after.match_rate:.0%}, "
              f"{len(result.report.trims)} trimmed to fit")
        print(f"  {'':9} {'path':<26} {'text':<{_LINE}}  why")
        for what, path, text, why in rows(result):
            print(f"  {what:<9} {path:<26} {text:<{_LINE}}  {why}")
