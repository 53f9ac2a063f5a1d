"""The output formats a caller may ask for, and reading them from "pdf,docx"."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.errors import InvalidInput

FORMATS = ("pdf", "docx", "md", "txt")
DOCUMENTS = ("resume", "letter")


def parse_formats(value: str | Iterable[str], *, field: str = "format") -> tuple[str, ...]:
    """("pdf", "docx") from "pdf,docx" or a list, in FORMATS order; unknown or empty fails."""
    items = value.split(",") if isinstance(value, str) else list(value)
    names = [item.strip().lower() for item in items if item.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise InvalidInput(f"unknown format {unknown[0]!r} (choose from {', '.join(FORMATS)})",
                           field=field)
    if not names:
        raise InvalidInput(f"give at least one of {', '.join(FORMATS)}", field=field)
    return tuple(f for f in FORMATS if f in names)
