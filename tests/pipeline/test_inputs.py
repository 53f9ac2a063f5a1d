"""Reading resumes and postings: formats, one-line errors naming the field, hostile input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pipeline.errors import InvalidInput
from pipeline.inputs import (
    MAX_POSTING_BYTES,
    html_to_text,
    load_posting,
    load_resume,
    posting_to_text,
    resume_from_data,
)
from pipeline.schema import is_valid_fast, schema_errors, validate_jsonresume

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "resumes"


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted((EXAMPLES / "resumes").glob("*.*")),
                         ids=lambda p: p.name)
def test_example_resumes_load_and_validate(path: Path) -> None:
    resume = load_resume(path)
    assert resume.basics.name
    assert len(resume.work) >= 3
    assert all(len(job.highlights) >= 2 for job in resume.work)
    assert resume.projects and resume.skills and resume.education and resume.certificates
    assert schema_errors(resume.to_json_dict()) == []


def test_yaml_resume_keeps_dates_as_strings(tmp_path: Path) -> None:
    path = _write(tmp_path, "cv.yaml", (
        "basics:\n  name: Ana Ruiz\n"
        "work:\n  - name: Acme\n    startDate: 2019-03-01\n    endDate: 2021\n"
        "    highlights: [Shipped things]\n"
    ))
    resume = load_resume(path)
    assert resume.work[0].startDate == "2019-03-01"
    assert resume.work[0].endDate == "2021"


def test_bad_date_names_the_field_path(tmp_path: Path) -> None:
    data = {"work": [{"name": "A"}, {"name": "B"}, {"name": "C", "startDate": "Spring 2020"}]}
    path = _write(tmp_path, "cv.json", json.dumps(data))
    with pytest.raises(InvalidInput) as info:
        load_resume(path)
    message = str(info.value)
    assert info.value.field == "work[2].startDate"
    assert message.startswith("work[2].startDate: not a date")
    assert "\n" not in message
    assert info.value.field == "work[2].startDate"


def test_wrong_type_names_the_nested_path() -> None:
    with pytest.raises(InvalidInput) as info:
        resume_from_data({"skills": [{"name": "Go", "keywords": ["ok", 7]}]})
    assert info.value.field == "skills[0].keywords[1]"


def test_schema_catches_what_the_models_allow() -> None:
    # The models accept unknown keys; the schema still types the known ones.
    with pytest.raises(InvalidInput) as info:
        validate_jsonresume({"basics": {"location": {"city": ["Paris"]}}})
    assert info.value.field == "basics.location.city"


def _variants(data: dict[str, object]) -> list[object]:
    """The document and ways to break it: wrong types, bad dates, bad nesting at each level."""
    work = data.get("work") or [{}]
    return [
        data,
        {**data, "basics": {**data.get("basics", {}), "location": {"city": ["Paris"]}}},
        {**data, "work": [*work[:-1], {**work[-1], "startDate": "March 2020"}]},
        {**data, "work": [*work, {"highlights": "one string"}]},
        {**data, "skills": [{"name": "Go", "keywords": ["ok", 7]}]},
        {**data, "education": {"institution": "not a list"}},
        {**data, "basics": {**data.get("basics", {}), "profiles": [{"url": 3}]}},
        {**data, "meta": {"lastModified": 12}},
        {**data, "x-extension": {"anything": True}},
        [data],
    ]


@pytest.mark.parametrize("path", [*sorted(FIXTURES.glob("*.json")),
                                  *sorted((EXAMPLES / "resumes").glob("*.json"))],
                         ids=lambda p: p.name)
def test_the_compiled_schema_check_agrees_with_jsonschema(path: Path) -> None:
    # The compiled check lets valid documents skip jsonschema; it must never pass one that
    # jsonschema refuses, nor (costing only speed) refuse a valid one.
    for variant in _variants(json.loads(path.read_text(encoding="utf-8"))):
        assert is_valid_fast(variant) == (schema_errors(variant) == []), variant


@pytest.mark.parametrize(("content", "expected"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
    (b"\xff\xfe\x00garbage\x00", "resume"),
    (b"{\"basics\": {\"name\": \"\xe9\"}}", "not UTF-8"),
])
def test_malformed_resume_files(tmp_path: Path, content: str | bytes, expected: str) -> None:
    path = _write(tmp_path, "cv.json", content)
    with pytest.raises(InvalidInput) as info:
        load_resume(path)
    assert info.value.field == "resume" and expected in str(info.value)


def test_missing_and_oversized_resume(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="file not found") as info:
        load_resume(tmp_path / "absent.json")
    assert info.value.field == "resume"
    big = _write(tmp_path, "big.json", "{\"basics\": {}, \"x\": \"" + "a" * (3 * 2**20) + "\"}")
    with pytest.raises(InvalidInput, match="larger than") as info:
        load_resume(big)
    assert info.value.field == "resume"


def test_malformed_yaml_says_where(tmp_path: Path) -> None:
    path = _write(tmp_path, "cv.yml", "basics:\n  name: [unclosed\n")
    with pytest.raises(InvalidInput, match=r"not valid YAML.*line \d+") as info:
        load_resume(path)
    assert info.value.field == "resume"


# ---------------------------------------------------------------- postings


def test_html_posting_reduced_to_lines() -> None:
    text = load_posting(EXAMPLES / "postings" / "frontend-developer.html")
    lines = text.splitlines()
    assert lines[0] == "# Frontend Developer (Junior / Mid)"  # nav and <head> dropped
    assert "## What we’re looking for" in lines  # &rsquo; unescaped, heading on its own line
    assert "- Experience with React (hooks, state management) and TypeScript" in lines
    assert "gtag" not in text and "font-family" not in text  # script and style dropped
    assert "Salary CA$75,000 – CA$95,000" in text  # &ndash;


def test_html_sniffed_without_extension() -> None:
    raw = "<div><h2>Requirements</h2><ul><li>Python &amp; SQL</li><li>Go</li></ul></div>"
    assert posting_to_text(raw) == "## Requirements\n- Python & SQL\n- Go"


@pytest.mark.parametrize("raw", [
    "<title>Data Engineer</title><p>Python and SQL</p>",
    "<!DOCTYPE html><head><meta charset=utf-8><title>Data Engineer</title><p>Python and SQL",
    "<html><head><title>Data Engineer</title><body><p>Python and SQL</p></body></html>",
    "<html><head><link rel=stylesheet href=s.css>Python and SQL</html>",
])
def test_html5_head_without_its_end_tag_keeps_the_body(raw: str) -> None:
    # HTML5 lets </head> (and <head>, <body>) be left out: the body must not vanish with it.
    assert posting_to_text(raw, html=True) == "Python and SQL"


def test_html_headings_and_bold_lines_keep_their_mark() -> None:
    raw = ("<h1>Data Engineer</h1><p><strong>Lumen</strong> in Toronto</p><h3>Must have</h3>"
           "<ul><li><b>Python</b> daily</li></ul><p><b>Nice to have</b></p>"
           "<p><strong>Bonus points:</strong> Rust</p><p>We use <b>Go</b>.</p>")
    assert posting_to_text(raw).splitlines() == [
        "# Data Engineer", "**Lumen** in Toronto", "### Must have", "- Python daily",
        "**Nice to have**", "**Bonus points:** Rust", "We use Go.",
    ]


def test_script_content_never_leaks() -> None:
    raw = "<p>Hi</p><script>var s = '<p>fake</p>';</script><style>p{}</style><p>Bye</p>"
    assert html_to_text(raw).split() == ["Hi", "Bye"]


def test_markdown_kept_as_written() -> None:
    text = load_posting(EXAMPLES / "postings" / "backend-engineer.md")
    assert text.startswith("# Senior Backend Engineer")
    assert "## Nice to have" in text


def test_stdin_posting() -> None:
    stream = io.BytesIO(b"Data Engineer\r\n\r\n\r\n\r\nSQL and Python\r\n")
    assert load_posting("-", stdin=stream) == "Data Engineer\n\nSQL and Python"


@pytest.mark.parametrize(("raw", "reason"), [
    (b"", "empty"),
    (b"   \n\t \n", "empty"),
    (b"<html><script>x()</script></html>", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"caf\xe9 au lait", "not UTF-8"),
])
def test_bad_postings_name_posting(raw: bytes, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        load_posting("-", stdin=io.BytesIO(raw))
    assert info.value.field == "posting"
    assert reason in str(info.value)


def test_posting_size_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, "huge.txt", "word " * (MAX_POSTING_BYTES // 4))
    with pytest.raises(InvalidInput, match="larger than") as info:
        load_posting(path)
    assert info.value.field == "posting"
    with pytest.raises(InvalidInput, match="larger than") as info:
        load_posting("-", stdin=io.BytesIO(b"x" * (MAX_POSTING_BYTES + 1)))
    assert info.value.field == "posting"


def test_utf16_posting_with_bom(tmp_path: Path) -> None:
    path = _write(tmp_path, "p.txt", "Nurse\nBLS required".encode("utf-16"))
    assert load_posting(path) == "Nurse\nBLS required"


# ---------------------------------------------------------------- hostile files (issue 12)

_BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9 if prev else ['x'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefg"], "abcdefgh", strict=False)
)


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("bomb.yaml", _BOMB, "anchors (&name) are not allowed"),
    ("self.yaml", "x: &x [*x]\n", "anchors (&name) are not allowed"),
    ("alias.yaml", "basics:\n  name: *undefined\n", "aliases (*name) are not allowed"),
    ("deep.yaml", "a: " + "[" * 20_000 + "]" * 20_000 + "\n", "nested deeper than 20 levels"),
    ("deep.json", '{"a": ' + "[" * 20_000 + "]" * 20_000 + "}", "nested deeper than 20 levels"),
    ("deep-500.json", '{"a": ' + "[" * 500 + "]" * 500 + "}",
     "nested deeper than 20 levels"),
    ("bigint.json", '{"x": ' + "9" * 5_000 + "}", "a number with more than 30 digits"),
    ("bigint.yaml", "x: " + "9" * 5_000 + "\n", "a number with more than 30 digits"),
])
def test_hostile_structures_are_refused_in_one_line(tmp_path: Path, name: str, content: str,
                                                    expected: str) -> None:
    assert len(_BOMB) < 1024
    with pytest.raises(InvalidInput) as info:
        load_resume(_write(tmp_path, name, content))
    assert info.value.field == "resume"
    assert expected in str(info.value)


@pytest.mark.parametrize(("data", "field", "reason"), [
    ({"basics": {"name": "x" * 10_000}}, "basics.name", "longer than 200 characters"),
    ({"basics": {"name": "\\" * 1_000}}, "basics.name", "longer than 200 characters"),
    ({"basics": {"label": "x" * 201}}, "basics.label", "longer than 200 characters"),
    ({"basics": {"summary": "x" * 3_001}}, "basics.summary", "longer than 3000 characters"),
    ({"basics": {"url": "https://e.com/" + "x" * 2_000}}, "basics.url",
     "longer than 2000 characters"),
    ({"work": [{"highlights": ["y" * 1_900_000]}]}, "work[0].highlights[0]",
     "longer than 1000 characters"),
    ({"work": [{"highlights": ["y"] * 51}]}, "work[0].highlights", "more than 50 items"),
    ({"work": [{"name": "A"}] * 101}, "work", "more than 100 entries"),
    ({"skills": [{"keywords": ["k" * 101]}]}, "skills[0].keywords[0]",
     "longer than 100 characters"),
    ({"skills": [{"keywords": ["k"] * 101}]}, "skills[0].keywords", "more than 100 items"),
    ({"basics": {"x-notes": "n" * 3_001}}, "basics", "x-notes: longer than 3000 characters"),
    ({"work": [{"name": "A", "highlights": ["h" * 1000] * 50}] * 5}, "resume",
     "the resume's text passes 200000 characters"),
])
def test_field_limits_name_the_field_and_the_limit(data: dict[str, object], field: str,
                                                   reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        resume_from_data(data)
    assert info.value.field == field
    assert reason in info.value.reason


@pytest.mark.parametrize(("work", "field", "reason"), [
    ([{"startDate": "2020-02-31"}], "work[0].startDate", "not a date"),
    ([{"startDate": "2021-02-29"}], "work[0].startDate", "not a date"),
    ([{}, {"startDate": "2021-05", "endDate": "2020-01"}], "work[1].endDate",
     "before startDate"),
    ([{"startDate": "2021-05-10", "endDate": "2021-05-09"}], "work[0].endDate",
     "before startDate"),
])
def test_impossible_dates_are_refused(work: list[dict[str, str]], field: str,
                                      reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        resume_from_data({"work": work})
    assert info.value.field == field
    assert reason in info.value.reason


@pytest.mark.parametrize(("written", "read"), [
    ("", None), ("  ", None),  # the old `resume init` template left every field blank
    ("2020-3", "2020-03"), ("2020/03", "2020-03"), ("2020.11", "2020-11"),
    ("03/2020", "2020-03"), ("3-2020", "2020-03"),
    ("Mar 2020", "2020-03"), ("March 2020", "2020-03"), ("Sept. 2021", "2021-09"),
    ("march, 2020", "2020-03"), ("2020-03-15T00:00:00.000Z", "2020-03-15"),
    ("2020-03-15 08:30:00+02:00", "2020-03-15"), ("2020", "2020"), ("2020-03-15", "2020-03-15"),
])
def test_dates_are_read_as_people_write_them(written: str, read: str | None) -> None:
    resume = resume_from_data({"work": [{"name": "Acme", "startDate": written}],
                               "certificates": [{"name": "CFA", "date": written}]})
    assert resume.work[0].startDate == read
    assert resume.certificates[0].date == read


@pytest.mark.parametrize("ongoing", ["Present", "present", " Current ", "now", "Ongoing", ""])
def test_an_end_date_saying_present_is_a_current_entry(ongoing: str) -> None:
    resume = resume_from_data({"work": [{"name": "A", "startDate": "2021-04",
                                         "endDate": ongoing}]})
    assert resume.work[0].endDate is None
    assert "endDate" not in resume.to_json_dict()["work"][0]


@pytest.mark.parametrize(("work", "reason"), [
    ({"startDate": "Present"}, "not a date"),  # only an end can be ongoing
    ({"startDate": "03/04/2020"}, "not a date"),  # March or April: not guessed
    ({"startDate": "13/2020"}, "not a date"),
    ({"startDate": "Smarch 2020"}, "not a date"),
])
def test_dates_that_cannot_be_read_are_still_refused(work: dict[str, str], reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        resume_from_data({"work": [work]})
    assert info.value.field == "work[0].startDate"
    assert reason in info.value.reason


def test_partial_dates_compare_at_the_coarser_precision() -> None:
    resume = resume_from_data({"work": [{"startDate": "2020-06", "endDate": "2020"},
                                        {"startDate": "2024-02-29", "endDate": "2024-03"}]})
    assert resume.work[0].endDate == "2020"


def test_non_regular_files_are_named_and_never_read_whole(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not a regular file") as info:
        load_resume("/dev/zero")
    assert info.value.field == "resume"
    with pytest.raises(InvalidInput, match="not a regular file"):
        load_posting("/dev/zero")
    with pytest.raises(InvalidInput, match="is a directory"):
        load_posting(tmp_path)


def test_posting_text_over_the_character_limit(tmp_path: Path) -> None:
    # Under the byte limit, over the character limit (which stays below spaCy's max_length).
    path = _write(tmp_path, "long.md", "Python developer. " * 50_000)
    with pytest.raises(InvalidInput, match="longer than 200000 characters") as info:
        load_posting(path)
    assert info.value.field == "posting"


@pytest.mark.parametrize(("data", "reason"), [
    ({"basics": {"name": "Ada\x00"}}, "basics.name: contains a NUL character"),
    ({"work": [{"highlights": ["ok", "\ud800"]}]},
     "work[0].highlights[1]: contains an unpaired surrogate (U+D800)"),
    ({"meta": {"note\x00": "x"}}, "meta: a key contains a NUL character"),
    ({"x-\udfff": 1}, "a key contains an unpaired surrogate (U+DFFF)"),
    ({"meta": {"score": float("inf")}}, "meta.score: not a finite number"),
])
def test_text_that_cannot_be_stored_is_refused(data: dict[str, object], reason: str) -> None:
    # Found by fuzzing the API: JSON's \u0000 and lone \ud800 escapes reached Postgres (which
    # refuses NUL in JSONB) and UTF-8 encoders (which refuse lone surrogates) as a 500.
    with pytest.raises(InvalidInput) as info:
        resume_from_data(data)
    assert info.value.field == "resume"
    assert reason in info.value.reason


def test_paired_surrogate_escapes_are_one_character() -> None:
    resume = resume_from_data(json.loads('{"basics": {"name": "Ada \\ud83d\\ude00"}}'))
    assert resume.basics.name == "Ada \U0001F600"


def test_posting_with_an_unpaired_surrogate_is_refused() -> None:
    with pytest.raises(InvalidInput) as info:
        posting_to_text("Python developer \udc80")
    assert info.value.field == "posting"
    assert "unpaired surrogate" in info.value.reason
    assert posting_to_text("Python\x00 developer") == "Python developer"  # NUL is dropped


@pytest.mark.parametrize(("content", "expected"), [
    # Found by tests/pipeline/test_inputs_fuzz.py: PyYAML's constructors raised ValueError,
    # IndexError, AttributeError or KeyError on these, and !!binary gave bytes that are not
    # text (a UnicodeDecodeError when the resume was written out).
    ("basics: !!float Ada\n", "not a valid !!float value at line 1 column 9"),
    ("x: !!float\n", "not a valid !!float value"),
    ("x: !!timestamp soon\n", "!!timestamp is not allowed"),
    ("x: !!bool maybe\n", "not a valid !!bool value"),
    ("x: !!int abc\n", "not a valid !!int value"),
    ("x: !!binary /w==\n", "!!binary is not allowed"),
    ("x: !!set {a, b}\n", "!!set is not allowed"),
])
def test_yaml_tags_that_json_cannot_hold_are_refused(tmp_path: Path, content: str,
                                                     expected: str) -> None:
    with pytest.raises(InvalidInput) as info:
        load_resume(_write(tmp_path, "cv.yaml", content))
    assert info.value.field == "resume"
    assert expected in info.value.reason


def test_an_error_quoting_the_input_stays_one_printable_line() -> None:
    with pytest.raises(InvalidInput) as info:
        resume_from_data({"meta": {"a\nb": "x\udc80"}})
    assert len(str(info.value).splitlines()) == 1
    assert "meta.a\\nb: contains an unpaired surrogate" in str(info.value)
    str(info.value).encode("utf-8")


def test_a_stored_resume_is_read_back_without_the_whole_document_checks() -> None:
    # A job's resume passed every check when it came in; the stage tasks read it back with
    # STORED, which skips the walks over the whole document but no field's own validation.
    from pydantic import ValidationError

    from pipeline.jsonresume import STORED, Resume

    long_text = {"work": [{"summary": "x" * 2_500} for _ in range(90)]}  # 225k characters
    with pytest.raises(ValidationError, match="passes 200000 characters"):
        Resume.model_validate(long_text)
    assert len(Resume.model_validate(long_text, context=STORED).work) == 90
    with pytest.raises(ValidationError, match="startDate"):
        Resume.model_validate({"work": [{"startDate": "2020-13"}]}, context=STORED)


def test_blank_entries_are_left_out() -> None:
    # The old `resume init` template: every section held one entry of empty strings.
    resume = resume_from_data({
        "basics": {"name": "Dana", "url": "", "profiles": [{"network": "", "url": ""}]},
        "work": [{"name": "Acme", "position": "Analyst", "startDate": "2020-01", "endDate": "",
                  "highlights": ["Built the budget model"]},
                 {"name": "", "position": "", "startDate": "", "highlights": []}],
        "awards": [{"title": "", "date": "", "awarder": "", "summary": ""}],
        "projects": [{"name": " ", "keywords": [""], "x-notes": ""}],
        "skills": [{"name": "Tools", "keywords": ["Excel"]}],
    })
    assert [w.name for w in resume.work] == ["Acme"]
    assert resume.awards == [] and resume.projects == [] and resume.basics.profiles == []
    assert set(resume.to_json_dict()) == {"basics", "work", "skills"}
