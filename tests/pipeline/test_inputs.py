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
    data = {"work": [{"name": "A"}, {"name": "B"}, {"name": "C", "startDate": "March 2020"}]}
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
    assert lines[0] == "Frontend Developer (Junior / Mid)"  # nav and <head> dropped
    assert "What we’re looking for" in lines  # &rsquo; unescaped, heading on its own line
    assert "- Experience with React (hooks, state management) and TypeScript" in lines
    assert "gtag" not in text and "font-family" not in text  # script and style dropped
    assert "Salary CA$75,000 – CA$95,000" in text  # &ndash;


def test_html_sniffed_without_extension() -> None:
    raw = "<div><h2>Requirements</h2><ul><li>Python &amp; SQL</li><li>Go</li></ul></div>"
    assert posting_to_text(raw) == "Requirements\n- Python & SQL\n- Go"


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
