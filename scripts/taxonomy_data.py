"""The source files `make taxonomy` (scripts/build_taxonomy.py) reads, and their check.

The data is not in the repository: on the project's machines it sits beside the clones in
../shared/data. From any other clone the build must say exactly what it needs instead of
failing halfway with a traceback, so the folder is checked before anything is read: every
file present, every JSONL row an object with the fields the build uses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceFile:
    path: str  # relative to the data folder
    what: str
    fields: tuple[str, ...] = ()  # JSONL: what every row must carry; empty: plain text


SOURCES = (
    SourceFile("taxonomy-onet/onet_technologies.jsonl",
               "O*NET 29.2 Technology Skills, one JSON object a line",
               ("name", "hot_technology", "in_demand", "commodity_titles")),
    SourceFile("taxonomy-esco/esco_skill_collections.jsonl",
               "ESCO v1.2.0 skill collections, one JSON object a line",
               ("label", "alt_labels", "skill_type", "collections", "broader")),
    SourceFile("taxonomy-esco/skills_en_label.txt",
               "ESCO v1.1.0 English preferred labels, one a line"),
)


def describe(folder: Path, problems: list[str]) -> str:
    """The message for a folder that cannot be built from: what is wrong, what it must hold,
    how to point the build elsewhere."""
    width = max(len(source.path) for source in SOURCES)
    lines = [f"taxonomy: cannot build from {folder.resolve()}:"]
    lines += [f"  {problem}" for problem in problems]
    lines.append("The folder must hold:")
    for source in SOURCES:
        fields = f" (fields: {', '.join(source.fields)})" if source.fields else ""
        lines.append(f"  {source.path:<{width}}  {source.what}{fields}")
    lines.append("Point to another folder with `make taxonomy TAXONOMY_DATA=/path/to/data` "
                 "(or `scripts/build_taxonomy.py --data /path/to/data`).")
    lines.append("pipeline/data/skills.json is committed: a clone needs this data only to "
                 "rebuild it.")
    return "\n".join(lines)


def problems_in(folder: Path) -> list[str]:
    """Everything that keeps the build from reading `folder`, one line each (empty: fine)."""
    if not folder.is_dir():
        return ["the folder does not exist"]
    problems: list[str] = []
    for source in SOURCES:
        path = folder / source.path
        if not path.is_file():
            problems.append(f"{source.path}: missing")
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{source.path}: unreadable ({exc})")
            continue
        if not text.strip():
            problems.append(f"{source.path}: empty")
        elif source.fields:
            problems.extend(_row_problems(source, text))
    return problems


def _row_problems(source: SourceFile, text: str, *, limit: int = 5) -> list[str]:
    """The first `limit` bad rows of a JSONL file, each naming its line and field."""
    found: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            found.append(f"{source.path}:{number}: not JSON ({exc.msg})")
        else:
            if not isinstance(row, dict):
                found.append(f"{source.path}:{number}: not a JSON object")
            else:
                found += [f"{source.path}:{number}.{name}: missing"
                          for name in source.fields if name not in row]
        if len(found) >= limit:
            return [*found[:limit], f"{source.path}: (stopped after {limit} problems)"]
    return found
