"""The resume and posting readers fed arbitrary input (Hypothesis): every input either reads or
is refused with InvalidInput naming a field, never any other exception.

Bounded and derandomized, so CI sees the same inputs every run and the file takes seconds.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import InvalidInput
from pipeline.inputs import load_posting, read_resume, resume_from_data
from pipeline.jsonresume import Resume
from pipeline.limits import MAX_NESTING_DEPTH, MAX_POSTING_CHARS
from pipeline.schema import schema_errors

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,  # the same examples every run: CI is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Any code point: control characters, NUL, lone surrogates (which JSON's \ud800 escape
# brings in), astral characters.
ANY_CHAR = st.characters(exclude_categories=())
ANY_TEXT = st.text(ANY_CHAR, max_size=40)
SECTIONS = ["basics", "work", "volunteer", "education", "awards", "certificates",
            "publications", "skills", "languages", "interests", "references", "projects", "meta"]
FIELDS = ["name", "label", "email", "url", "website", "company", "position", "startDate",
          "endDate", "date", "releaseDate", "highlights", "keywords", "summary", "location",
          "profiles", "gpa", "picture", "score", "courses", "roles", "level"]

# Dates of every shape: the ones JSON Resume takes, impossible ones, near misses, other types.
DATES = st.one_of(
    st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?\Z"),
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes().map(lambda d: d.isoformat()),
    st.sampled_from(["2020-02-30", "2021-02-29", "2024-02-29", "2020-13", "2020-00-10", "0000",
                     "present", "Present", "", " 2020", "2020-1-1", "2020/01/01", "20200101",
                     "2020-01-01T00:00:00Z", "１９９９", "2020-01-01\n"]),
    st.integers(min_value=-10**40, max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(), st.booleans(),
)
SCALARS = st.one_of(
    st.none(), st.booleans(), ANY_TEXT, DATES,
    st.integers(min_value=-10**40, max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
)


def json_values(scalars: st.SearchStrategy[Any] = SCALARS) -> st.SearchStrategy[Any]:
    keys = st.one_of(st.sampled_from(SECTIONS + FIELDS), ANY_TEXT)
    return st.recursive(
        scalars,
        lambda inner: st.one_of(st.lists(inner, max_size=4),
                                st.dictionaries(keys, inner, max_size=5)),
        max_leaves=25,
    )


@st.composite
def resume_shaped(draw: st.DrawFn) -> dict[str, Any]:
    """Documents that look like resumes, so the readers get past "must be an object" into
    every section, field and date check."""
    entry = st.dictionaries(st.sampled_from(FIELDS), st.one_of(DATES, json_values()),
                            max_size=6)
    section = st.one_of(st.lists(entry, max_size=3), entry, json_values())
    return draw(st.dictionaries(st.sampled_from(SECTIONS), section, max_size=6))


@st.composite
def nested_near_the_limit(draw: st.DrawFn) -> dict[str, Any]:
    """Lists and objects nested a few levels either side of MAX_NESTING_DEPTH."""
    depth = draw(st.integers(MAX_NESTING_DEPTH - 3, MAX_NESTING_DEPTH + 3))
    node: Any = draw(SCALARS)
    for _ in range(depth):
        node = [node] if draw(st.booleans()) else {draw(ANY_TEXT): node}
    return {draw(st.sampled_from(SECTIONS)): node}


def reads_or_names_a_field(read: Callable[[], Any], field: str | None = None) -> Any:
    """The reader's result, or None when it refused with InvalidInput naming a field (`field`
    when given); anything else raised fails the test."""
    try:
        return read()
    except InvalidInput as exc:
        assert exc.field, f"InvalidInput without a field: {exc}"
        assert field is None or exc.field == field, exc
        message = str(exc)
        assert len(message.splitlines()) == 1, f"not one line: {exc!r}"
        message.encode("utf-8")  # printable on a UTF-8 terminal: no lone surrogate
        return None


def _check_read_resume(resume: Resume | None) -> None:
    if resume is not None:  # what reads is a valid JSON Resume, and writable JSON
        data = resume.to_json_dict()
        assert schema_errors(data) == []
        json.dumps(data, allow_nan=False).encode("utf-8")


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    # One folder for the module: Hypothesis runs each test many times in one fixture scope.
    with tempfile.TemporaryDirectory(prefix="inputs-fuzz-") as folder:
        yield Path(folder)


# ---------------------------------------------------------------- resumes


@FUZZ
@given(data=st.one_of(json_values(), resume_shaped(), nested_near_the_limit()))
def test_resume_from_any_json_value(data: Any) -> None:
    _check_read_resume(reads_or_names_a_field(lambda: resume_from_data(data)))


@FUZZ
@given(data=st.one_of(resume_shaped(), nested_near_the_limit(), json_values()))
def test_resume_json_file(scratch: Path, data: Any) -> None:
    # Python's writer puts NaN/Infinity and \ud800 escapes in, as hostile files may.
    path = scratch / "resume.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = reads_or_names_a_field(lambda: read_resume(path))
    _check_read_resume(result[0] if result else None)


YAML_TOKENS = st.sampled_from([
    "basics:", "work:", "education:", "meta:", "name:", "startDate:", "endDate:", "date:",
    "highlights:", "keywords:", "- ", "  ", "    ", "\n", ": ", "[", "]", "{", "}", ",", "'",
    '"', "&a ", "*a", "!!python/object:os.system ", "!!binary ", "!!timestamp ", "!!float ",
    "!!str ", "!!set ", "!!omap ", "? ", "|\n", ">\n", "---\n", "...\n", "%YAML 1.1\n", "#",
    "2019", "2019-03-01", "2019-03-01 10:00:00", "2001-12-14t21:59:43.10-05:00", "0x1F",
    "0o17", "1_000", "1e400", ".inf", "-.nan", "~", "null", "yes", "on", "=", "<<: ",
    "9" * 40, "\t", "\x00", "\ufeff", "é", "\U0001F600", "/w==", "QWRh", "!!pairs ",
])


@FUZZ
@given(text=st.one_of(st.lists(YAML_TOKENS, max_size=40).map("".join), st.text(ANY_CHAR)))
def test_resume_yaml_file(scratch: Path, text: str) -> None:
    path = scratch / "resume.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    result = reads_or_names_a_field(lambda: read_resume(path))
    _check_read_resume(result[0] if result else None)


@FUZZ
@given(raw=st.binary(max_size=300), suffix=st.sampled_from([".json", ".yaml"]))
def test_resume_file_of_any_bytes(scratch: Path, raw: bytes, suffix: str) -> None:
    path = scratch / f"bytes{suffix}"
    path.write_bytes(raw)
    reads_or_names_a_field(lambda: read_resume(path))


# ---------------------------------------------------------------- postings

HTML_TOKENS = st.sampled_from([
    "<html>", "<head>", "<title>", "</title>", "<body>", "<p>", "</p>", "<div>", "</div>",
    "<ul>", "<li>", "</li>", "</ul>", "<h2>", "</h2>", "<strong>", "</strong>", "<b>", "</b>",
    "<br>", "<br/>", "<script>", "</script>", "<style>", "</style>", "<svg>", "<!--", "-->",
    "<![CDATA[", "]]>", "<!doctype html>", "&amp;", "&#0;", "&#xD800;", "&#x110000;",
    "&#99999999999;", "&nbsp;", "&bogus;", "<", ">", "</", "<a href='x'>", "<td>", "<th>",
    "<pre>", "<?xml ?>", "<nav>", "</nav>", "<p class=\"", "# ", "## ", "- ", "* ", "**",
    "Python", "PostgreSQL", "5+ years", "\n", "\r\n", "\r", "\t", " ", "\x00", "\x0b", "\x7f",
    "\u00a0", "\u2028", "\ufeff", "\udc80",
])


@FUZZ
@given(text=st.one_of(st.lists(HTML_TOKENS, max_size=60).map("".join), st.text(ANY_CHAR)),
       html=st.sampled_from([None, True, False]))
def test_posting_text_of_any_markup(text: str, html: bool | None) -> None:
    from pipeline.inputs import posting_to_text

    result = reads_or_names_a_field(lambda: posting_to_text(text, html=html), field="posting")
    if result is not None:  # some text, within the limit, writable as UTF-8
        assert result.strip() and len(result) <= MAX_POSTING_CHARS
        result.encode("utf-8")


@FUZZ
@given(raw=st.one_of(st.binary(max_size=400),
                     st.lists(HTML_TOKENS, max_size=40).map(
                         lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))),
       suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_posting_file_of_any_bytes(scratch: Path, raw: bytes, suffix: str) -> None:
    path = scratch / f"posting{suffix}"
    path.write_bytes(raw)
    reads_or_names_a_field(lambda: load_posting(path), field="posting")
