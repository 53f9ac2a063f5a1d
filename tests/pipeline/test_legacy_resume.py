"""JSON Resume before 1.0.0 read as 1.0.0: every renamed field moved and reported."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from pipeline.errors import InvalidInput
from pipeline.inputs import read_resume, resume_with_notes
from pipeline.legacy_resume import RENAMED, upgrade_layout
from pipeline.schema import schema_errors

OLDER = Path(__file__).resolve().parents[1] / "fixtures" / "older-layout" / "priya-nair-0.x.json"


def _older(section: str, old: str, value: str = "x-value") -> dict[str, object]:
    if section == "basics":
        return {"basics": {"name": "Ana", old: value}}
    return {"basics": {"name": "Ana"}, section: [{old: value}]}


@pytest.mark.parametrize(("section", "old", "new"), RENAMED)
def test_each_renamed_field_is_read_under_its_new_name(section: str, old: str, new: str) -> None:
    resume, notes = resume_with_notes(_older(section, old, "https://a.example/x"))
    data = resume.to_json_dict()
    item = data[section] if section == "basics" else data[section][0]  # type: ignore[index]
    assert item[new] == "https://a.example/x" and old not in item
    path = section if section == "basics" else f"{section}[0]"
    assert notes.mapped_fields == [f"{path}.{old} → {path}.{new}"]
    assert schema_errors(data) == []


def test_employers_of_the_older_layout_are_the_work_names() -> None:
    resume, notes = read_resume(OLDER)
    employers = [job.name for job in resume.work]
    assert len(employers) == 8 and all(employers)
    assert employers[0] == "Quillfeather Payments"
    assert resume.basics.image and resume.basics.url and resume.education[0].score == "3.7/4.0"
    assert "work[7].company → work[7].name" in notes.mapped_fields
    dumped = json.dumps(resume.to_json_dict())
    for old_key in ('"company"', '"website"', '"picture"', '"gpa"'):
        assert old_key not in dumped


def test_a_resume_in_1_0_0_needs_no_mapping() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "resumes"
    for path in sorted(examples.glob("*.json")):
        assert read_resume(path)[1].mapped_fields == [], path.name


def test_both_names_set_keeps_both_and_the_older_is_reported() -> None:
    data = {"basics": {"name": "Ana"}, "work": [{"name": "Acme", "company": "Acme Inc."}]}
    resume, notes = resume_with_notes(data)
    assert resume.work[0].name == "Acme"
    assert notes.mapped_fields == []
    assert "work[0].company" in notes.not_rendered


def test_an_older_field_that_is_not_text_is_named() -> None:
    with pytest.raises(InvalidInput) as info:
        resume_with_notes({"work": [{"position": "Dev"}, {"company": 42}]})
    assert info.value.field == "work[1].company"
    assert "must be a string" in str(info.value)


def test_upgrade_leaves_its_input_as_it_was() -> None:
    data = json.loads(OLDER.read_text(encoding="utf-8"))
    before = copy.deepcopy(data)
    upgraded, notes = upgrade_layout(data)
    assert data == before and notes
    assert upgraded["work"][0]["name"] == "Quillfeather Payments"


def test_yaml_in_the_older_layout(tmp_path: Path) -> None:
    path = tmp_path / "cv.yaml"
    path.write_text("basics:\n  name: Ana\n  website: https://ana.example\n"
                    "work:\n  - company: Acme\n    position: Dev\n    startDate: 2020-01\n",
                    encoding="utf-8")
    resume, notes = read_resume(path)
    assert resume.work[0].name == "Acme" and resume.basics.url == "https://ana.example"
    assert notes.mapped_fields == ["basics.website → basics.url", "work[0].company → work[0].name"]
