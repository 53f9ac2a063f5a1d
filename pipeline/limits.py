"""Every size limit on what a user sends, in one place.

The limits sit far above any real resume or posting and far below what the stages can bear:
TeX's time grows with the square of some fields (the name also goes into the PDF metadata),
spaCy refuses a text longer than its `nlp.max_length` (1,000,000 characters), and a deeply
nested document exhausts Python's recursion. They are checked before any stage runs; a value
over a limit is refused naming the field and the limit (`basics.name: longer than 200
characters`): exit 2 on the command line, 422 from the API.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BeforeValidator

# ---------------------------------------------------------------- whole inputs

MAX_RESUME_BYTES = 2 * 1024 * 1024  # a resume file, read at most this plus one byte
MAX_POSTING_BYTES = 1 * 1024 * 1024  # a posting file, HTML markup included
# A posting's text after HTML is reduced: well under spaCy's nlp.max_length (1,000,000).
MAX_POSTING_CHARS = 200_000
# All the text of a resume together (every string, unknown keys included): bounds the
# matcher's work and the first, untrimmed compile.
MAX_RESUME_TEXT_CHARS = 200_000
MAX_NESTING_DEPTH = 20  # a JSON Resume is about 4 deep; custom keys get some room
MAX_NUMBER_DIGITS = 30  # longer integers are refused before Python converts them

# ---------------------------------------------------------------- one field

MAX_NAME_CHARS = 200  # basics.name: also in the PDF metadata, where TeX's time is quadratic
MAX_LABEL_CHARS = 200  # basics.label, positions, titles, institution and company names
MAX_SHORT_CHARS = 200  # locations, study types, levels, fluency, networks, user names
MAX_URL_CHARS = 2_000
MAX_EMAIL_CHARS = 254  # RFC 5321's path limit
MAX_PHONE_CHARS = 50
MAX_BULLET_CHARS = 1_000  # one highlight, course or role
MAX_KEYWORD_CHARS = 100  # one skill keyword or interest
MAX_SUMMARY_CHARS = 3_000  # basics.summary and any summary or description
MAX_OTHER_CHARS = 3_000  # a string under a key JSON Resume does not define

# ---------------------------------------------------------------- counts

MAX_ENTRIES = 100  # work, education, projects, skills... entries per section
MAX_PROFILES = 20
MAX_HIGHLIGHTS = 50  # highlights (or courses, roles) per entry
MAX_KEYWORDS = 100  # keywords per skill, interest or project
MAX_OTHER_ITEMS = 200  # items of a list under a key JSON Resume does not define

# ---------------------------------------------------------------- compiling

# TeX time one job may use, summed over its compiles (a fit takes one to three, about a
# second each with lualatex).
MAX_TEX_SECONDS = 60.0

T = TypeVar("T")


def max_chars(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"longer than {limit} characters")
        return value

    return check


def max_items(limit: int, what: str = "items") -> BeforeValidator:
    """Refuses a list longer than `limit` before its items are validated one by one."""

    def check(value: T) -> T:
        if isinstance(value, list | tuple) and len(value) > limit:
            raise ValueError(f"more than {limit} {what}")
        return value

    return BeforeValidator(check)


# Field types for the JSON Resume models: pydantic reports the field's path with the message.
Name = Annotated[str, AfterValidator(max_chars(MAX_NAME_CHARS))]
Label = Annotated[str, AfterValidator(max_chars(MAX_LABEL_CHARS))]
Short = Annotated[str, AfterValidator(max_chars(MAX_SHORT_CHARS))]
Url = Annotated[str, AfterValidator(max_chars(MAX_URL_CHARS))]
Email = Annotated[str, AfterValidator(max_chars(MAX_EMAIL_CHARS))]
Phone = Annotated[str, AfterValidator(max_chars(MAX_PHONE_CHARS))]
Bullet = Annotated[str, AfterValidator(max_chars(MAX_BULLET_CHARS))]
Keyword = Annotated[str, AfterValidator(max_chars(MAX_KEYWORD_CHARS))]
Summary = Annotated[str, AfterValidator(max_chars(MAX_SUMMARY_CHARS))]

Bullets = Annotated[list[Bullet], max_items(MAX_HIGHLIGHTS)]
Keywords = Annotated[list[Keyword], max_items(MAX_KEYWORDS)]


# A NUL (Postgres refuses it in text and JSON, C strings end at it) or a surrogate code point
# left unpaired (it has no UTF-8 encoding: writing it out fails). JSON's `\u0000` and
# `\ud800` escapes bring both in; JSON paired escapes are joined into one character on parsing.
_UNWRITABLE = re.compile(r"[\x00\ud800-\udfff]")


def unwritable_character(text: str) -> str | None:
    """Why `text` cannot be stored or written as UTF-8 text, or None when it can."""
    found = _UNWRITABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "contains a NUL character"
    return f"contains an unpaired surrogate (U+{ord(found.group()):04X}), which is not text"


def writable_text(value: str) -> str:
    """A field validator: refuses `unwritable_character`s."""
    problem = unwritable_character(value)
    if problem:
        raise ValueError(problem)
    return value


def check_tree(data: object, *, max_depth: int = MAX_NESTING_DEPTH,
               max_text: int | None = MAX_RESUME_TEXT_CHARS) -> tuple[str, str] | None:
    """(path, problem) for the first place `data` nests too deeply, holds a string or key that
    is not writable text (`unwritable_character`) or a number JSON cannot hold, or where its
    text passes `max_text` in total (None: no total); None when it is within all of these.
    Iterative: the data may be deeper than Python's recursion limit."""
    total = 0
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack:
        node, path, depth = stack.pop()
        if depth > max_depth:
            return path, f"nested deeper than {max_depth} levels"
        if isinstance(node, float) and not math.isfinite(node):
            # Python's JSON reader takes NaN and Infinity; JSON, and Postgres's JSONB, do not.
            return path, "not a finite number (NaN and Infinity are not JSON)"
        if isinstance(node, str):
            problem = unwritable_character(node)
            if problem:
                return path, problem
            total += len(node)
            if max_text is not None and total > max_text:
                return path, f"the resume's text passes {max_text} characters here"
        elif isinstance(node, dict):
            for key, value in reversed(list(node.items())):
                key_path = f"{path}.{key}" if path else str(key)
                problem = unwritable_character(key) if isinstance(key, str) else None
                if problem:
                    return path, f"a key {problem}"
                stack.append((value, key_path, depth + 1))
        elif isinstance(node, list):
            for i in reversed(range(len(node))):
                stack.append((node[i], f"{path}[{i}]", depth + 1))
    return None


def check_extra(key: str, value: object) -> str | None:
    """Why a value under a key JSON Resume does not define is too large, or None."""
    stack: list[tuple[object, str]] = [(value, key)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str) and len(node) > MAX_OTHER_CHARS:
            return f"{path}: longer than {MAX_OTHER_CHARS} characters"
        if isinstance(node, list):
            if len(node) > MAX_OTHER_ITEMS:
                return f"{path}: more than {MAX_OTHER_ITEMS} items"
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(node))
        elif isinstance(node, dict):
            if len(node) > MAX_OTHER_ITEMS:
                return f"{path}: more than {MAX_OTHER_ITEMS} keys"
            stack.extend((v, f"{path}.{k}") for k, v in node.items())
    return None
