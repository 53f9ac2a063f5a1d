"""Reading the user's files: a JSON Resume (`.json`, `.yaml`) and a posting (text, Markdown,
HTML, or `-` for standard input).

Every input is hostile: size-limited, decoded strictly, and any problem raised as InvalidInput
with a one-line message naming where it is (`work[2].startDate: not a date`, `posting: empty`).
One module past 400 lines: the CLI, the API and the workers read through it, and its limits
and messages must be the same for all of them.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import stat
import sys
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

import yaml
from pydantic import ValidationError

from pipeline.errors import InvalidInput
from pipeline.jsonresume import Resume
from pipeline.legacy_resume import upgrade_layout
from pipeline.limits import (
    MAX_NESTING_DEPTH,
    MAX_NUMBER_DIGITS,
    MAX_POSTING_BYTES,
    MAX_POSTING_CHARS,
    MAX_RESUME_BYTES,
    unwritable_character,
)
from pipeline.models import InputNotes
from pipeline.schema import json_path, validate_jsonresume
from pipeline.unrendered import unrendered_fields

__all__ = ["MAX_POSTING_BYTES", "MAX_POSTING_CHARS", "MAX_RESUME_BYTES", "load_posting",
           "load_resume", "posting_to_text", "resume_from_data"]

_YAML_SUFFIXES = {".yaml", ".yml"}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_DATE_KEYS = {"startDate", "endDate", "date", "releaseDate"}


# ---------------------------------------------------------------- resume


def load_resume(path: str | Path) -> Resume:
    """Read a JSON Resume from a `.json` or `.yaml`/`.yml` file."""
    return read_resume(path)[0]


def read_resume(path: str | Path) -> tuple[Resume, InputNotes]:
    """`load_resume`, with what reading changed and what no template shows."""
    path = Path(path)
    raw = _read_bytes(path, field="resume", limit=MAX_RESUME_BYTES)
    text = _decode(raw, field="resume")
    data = _parse_yaml(text) if path.suffix.lower() in _YAML_SUFFIXES else _parse_json(text)
    return resume_with_notes(data, source=str(path))


def resume_from_data(data: object, source: str = "resume") -> Resume:
    """Validate already-parsed data (from a file, an API body) into a Resume."""
    return resume_with_notes(data, source)[0]


def resume_with_notes(data: object, source: str = "resume") -> tuple[Resume, InputNotes]:
    """Validate already-parsed data into a Resume, either layout (before and from JSON Resume
    1.0.0) read as 1.0.0, and the notes on it.

    Pydantic first (its messages are the friendlier ones, and it reads dates as people write
    them: "Present", "", "March 2020"), then the JSON Resume schema on what was read, which
    catches what the permissive models let through.
    """
    if not isinstance(data, Mapping):
        raise InvalidInput(f"{source} must be a JSON object, got {type(data).__name__}",
                           field="resume")
    data, mapped = upgrade_layout(data)
    try:
        resume = Resume.model_validate(data)
    except ValidationError as exc:
        raise _invalid_from_pydantic(exc) from None
    validate_jsonresume(resume.to_json_dict())
    return resume, InputNotes(mapped_fields=mapped, not_rendered=unrendered_fields(resume))


def _invalid_from_pydantic(exc: ValidationError) -> InvalidInput:
    errors = exc.errors()
    first = errors[0]
    message = str(first["msg"]).removeprefix("Value error, ")
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more)"
    return InvalidInput(message, field=json_path(first["loc"]) or "resume")


_JSON_NESTING = re.compile(r"[\[\]{}]")


def _json_depth_within(text: str, limit: int) -> bool:
    """Whether brackets nest at most `limit` deep (strings skipped): checked before parsing,
    since json.loads recurses once per level."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise InvalidInput(f"a number with more than {MAX_NUMBER_DIGITS} digits",
                           field="resume")
    return int(digits)


def _parse_json(text: str) -> object:
    # Only brackets matter for the depth scan; skip it for texts that cannot be deep.
    if len(_JSON_NESTING.findall(text)) > 2 * MAX_NESTING_DEPTH and not _json_depth_within(
            text, MAX_NESTING_DEPTH):
        raise InvalidInput(f"nested deeper than {MAX_NESTING_DEPTH} levels", field="resume")
    try:
        return json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                           field="resume") from None
    except RecursionError:
        raise InvalidInput("not valid JSON: nested too deeply", field="resume") from None


class _StringDatesLoader(yaml.SafeLoader):
    """SafeLoader for hostile files: dates stay strings (JSON Resume dates are strings),
    anchors and aliases are refused (a few aliased lists expand into billions of items),
    nesting is bounded and integers are limited in length."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", event.start_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(
                None, None, "anchors (&name) are not allowed", event.start_mark)
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_NESTING_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_NESTING_DEPTH} levels",
                    event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """PyYAML's constructors of an explicitly tagged scalar (`!!float basics`,
        `!!timestamp x`, `!!bool maybe`) raise ValueError, IndexError, KeyError or
        AttributeError on a value the tag cannot hold: a YAML error here, with its place."""
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            raise yaml.constructor.ConstructorError(
                None, None, f"not a valid {tag} value", node.start_mark) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        digits = str(node.value).replace("_", "").lstrip("+-")
        if len(digits) > MAX_NUMBER_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number with more than {MAX_NUMBER_DIGITS} digits",
                node.start_mark)
        return super().construct_yaml_int(node)


_StringDatesLoader.add_constructor("tag:yaml.org,2002:int",
                                   _StringDatesLoader.construct_yaml_int)


def _not_json(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
    raise yaml.constructor.ConstructorError(
        None, None, f"{tag} is not allowed (a JSON Resume holds only JSON values)",
        node.start_mark)


# Values JSON has no form for: bytes (not even text, maybe), sets (no order), timestamps
# (dates are strings), ordered pairs. Each would fail, or change, further on.
for _tag in ("binary", "set", "omap", "pairs", "timestamp"):
    _StringDatesLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _not_json)
_StringDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_yaml(text: str) -> object:
    try:
        data = yaml.load(text, Loader=_StringDatesLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise InvalidInput(f"not valid YAML: {problem}{where}", field="resume") from None
    except RecursionError:  # the depth bound comes first; this is a last resort
        raise InvalidInput("not valid YAML: nested too deeply", field="resume") from None
    return _years_as_strings(data)


def _years_as_strings(node: Any) -> Any:
    """YAML reads `startDate: 2019` as a number; the schema wants the string "2019"."""
    if isinstance(node, dict):
        return {
            k: (str(v) if k in _DATE_KEYS and isinstance(v, int) and not isinstance(v, bool)
                else v.isoformat() if k in _DATE_KEYS and isinstance(v, dt.date)
                else _years_as_strings(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_years_as_strings(v) for v in node]
    return node


# ---------------------------------------------------------------- posting


def load_posting(path: str | Path, *, stdin: IO[bytes] | None = None) -> str:
    """Read a posting file (or `-` for standard input) and reduce it to plain text."""
    if str(path) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        raw = stream.read(MAX_POSTING_BYTES + 1)
        if len(raw) > MAX_POSTING_BYTES:
            raise InvalidInput(f"larger than {MAX_POSTING_BYTES // 1024} KB", field="posting")
        is_html: bool | None = None
    else:
        path = Path(path)
        raw = _read_bytes(path, field="posting", limit=MAX_POSTING_BYTES)
        is_html = True if path.suffix.lower() in _HTML_SUFFIXES else None
    return posting_to_text(_decode(raw, field="posting"), html=is_html)


_HTML_SNIFF = re.compile(r"<\s*(!doctype\s+html|html|body|div|p|ul|li|h[1-6]|br|span)\b",
                         re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def posting_to_text(raw: str, *, html: bool | None = None) -> str:
    """Plain text of a posting: HTML reduced to lines, whitespace normalised.

    `html=None` sniffs for tags. Markdown stays as written: its `#` headings and `-` bullets
    are exactly the line structure the parse stage reads sections from.
    """
    if html is None:
        html = bool(_HTML_SNIFF.search(raw[:5000]))
    text = html_to_text(raw) if html else raw
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    # runs of spaces collapsed over the whole text at once (none holds a line break)
    lines = [line.strip() for line in _SPACES.sub(" ", text).split("\n")]
    text = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    if not text:
        raise InvalidInput("empty (no text after reading the input)", field="posting")
    problem = unwritable_character(text)  # NULs are gone with the control characters
    if problem:
        raise InvalidInput(problem, field="posting")
    if len(text) > MAX_POSTING_CHARS:
        raise InvalidInput(f"longer than {MAX_POSTING_CHARS} characters", field="posting")
    return text


class _TextExtractor(HTMLParser):
    """Text of an HTML document: scripts and styles dropped, block elements as lines.

    Headings keep their mark as Markdown's (`<h2>` → `## `, a line opening in `<strong>`/`<b>`
    → `**…**`), so the parse stage reads the sections of an HTML posting as it reads those of
    the same posting in Markdown.
    """

    _SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object", "head", "nav",
             "title"}
    # What may stand in <head>: any other start tag, or text, ends a head whose </head> was
    # left out (HTML5 allows it: `<title>x</title><p>...`).
    _HEAD_CONTENT = {"title", "meta", "link", "style", "script", "base", "noscript", "template"}
    _BLOCK = {"p", "div", "section", "article", "header", "footer", "main", "aside", "ul",
              "ol", "table", "tr", "dl", "dt", "dd", "blockquote", "pre", "form", "hr",
              "h1", "h2", "h3", "h4", "h5", "h6"}
    _HEADINGS = {"h1": "# ", "h2": "## ", "h3": "### ", "h4": "#### ", "h5": "##### ",
                 "h6": "###### "}
    _BOLD = {"strong", "b"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities unescaped by the parser
        self.parts: list[str] = []
        self._skipping: list[str] = []
        self._bold: list[bool] = []  # per open <strong>/<b>: did it write a `**` mark?

    def _end_implied_head(self, tag: str | None) -> None:
        if self._skipping == ["head"] and (tag is None or tag not in self._HEAD_CONTENT):
            self._skipping.pop()

    def _at_line_start(self) -> bool:
        for part in reversed(self.parts):
            if part.strip(" \t"):
                return part.rstrip(" \t").endswith("\n")
        return True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._end_implied_head(tag)
        if tag in self._SKIP:
            self._skipping.append(tag)
        elif self._skipping:
            return
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append(" ")
        elif tag in self._HEADINGS:
            self.parts.append("\n" + self._HEADINGS[tag])
        elif tag in self._BLOCK:
            self.parts.append("\n")
        elif tag in self._BOLD:
            marked = self._at_line_start()
            self._bold.append(marked)
            if marked:
                self.parts.append("**")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._end_implied_head(tag)
        if tag == "br" and not self._skipping:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag in self._BLOCK or tag == "li":
            self.parts.append("\n")
        elif tag in self._BOLD and self._bold and self._bold.pop():
            self.parts.append("**")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self._end_implied_head(None)
        if not self._skipping:
            self.parts.append(data.replace("\n", " "))


def html_to_text(raw: str) -> str:
    parser = _TextExtractor()
    parser.feed(raw)
    parser.close()
    # One line per block: blank lines between list items would split a section in two.
    return re.sub(r"\n[ \t]*(?=\n)", "", "".join(parser.parts))


# ---------------------------------------------------------------- shared


def _read_bytes(path: Path, *, field: str, limit: int) -> bytes:
    """The file's bytes, refusing anything but a regular file of at most `limit` bytes.

    Never reads more than limit + 1 bytes: a size from stat can be wrong (a file growing,
    /proc), and a device such as /dev/zero never ends.
    """
    too_large = InvalidInput(f"{path} is larger than {limit // 1024} KB", field=field)
    try:
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise InvalidInput(f"file not found: {path}", field=field) from None
        if stat.S_ISDIR(mode):
            raise InvalidInput(f"is a directory: {path}", field=field)
        if not stat.S_ISREG(mode):
            raise InvalidInput(f"not a regular file (a device, pipe or socket): {path}",
                               field=field)
        with open(path, "rb", opener=functools.partial(_open_regular, field=field)) as stream:
            if os.fstat(stream.fileno()).st_size > limit:
                raise too_large
            raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise too_large
        return raw
    except PermissionError:
        raise InvalidInput(f"permission denied: {path}", field=field) from None
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", field=field) from None


def _open_regular(name: str, flags: int, *, field: str) -> int:
    """Open without blocking (a FIFO swapped in after the check would wait for a writer)
    and check again that what was opened is a regular file."""
    fd = os.open(name, flags | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InvalidInput(f"not a regular file (a device, pipe or socket): {name}", field=field)
    return fd


def _decode(raw: bytes, *, field: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InvalidInput("not valid UTF-16 text", field=field) from None
    if b"\x00" in raw:
        raise InvalidInput("binary data (NUL bytes), expected text", field=field)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"not UTF-8 text (undecodable byte at offset {exc.start})",
                           field=field) from None
