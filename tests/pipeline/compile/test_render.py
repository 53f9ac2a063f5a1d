"""Rendering: reference .tex per template, the template list, escaping by default."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.compile.one_page import tightened
from pipeline.compile.render import (
    STATIC_END,
    Layout,
    list_templates,
    render_tex,
    split_static,
    template_info,
)
from pipeline.errors import InvalidInput
from pipeline.floors import MIN_BODY_PT, MIN_MARGIN_IN
from pipeline.jsonresume import Resume
from pipeline.letter.render import letter_layout
from tests.pipeline.compile.conftest import FIXTURES, REFERENCE, load_resume

TEMPLATES = [name for name, _ in list_templates()]


def test_at_least_three_templates_each_described() -> None:
    templates = list_templates()
    assert len(templates) >= 3
    assert {"classic", "modern", "compact"} <= {name for name, _ in templates}
    for name, description in templates:
        assert description and "\n" not in description, name


@pytest.mark.parametrize("template", TEMPLATES)
def test_reference_tex(template: str, update_reference: bool) -> None:
    """Rerun with `pytest tests/pipeline/compile --update-reference` after changing a template."""
    tex = render_tex(load_resume(FIXTURES / "sample-complete.json"), template=template)
    reference = REFERENCE / f"{template}.tex"
    if update_reference:
        reference.write_text(tex, encoding="utf-8")
    assert reference.exists(), "no reference yet: run with --update-reference"
    assert tex == reference.read_text(encoding="utf-8")


def test_reference_files_match_the_templates() -> None:
    assert sorted(p.stem for p in REFERENCE.glob("*.tex")) == sorted(TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES)
def test_static_preamble_does_not_depend_on_the_resume_or_layout(template: str) -> None:
    """It is dumped into a cached format, so it must be the same for every document."""
    a = render_tex(load_resume(FIXTURES / "new-grad.json"), template=template)
    b = render_tex(Resume.model_validate({"basics": {"name": "Other"}}), template=template,
                   layout=Layout(font_pt=12, margin_in=1, spacing=1.5))
    assert split_static(a)[0] == split_static(b)[0]
    assert STATIC_END not in split_static(a)[1]


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_value_is_escaped(template: str) -> None:
    resume = Resume.model_validate({
        "basics": {"name": r"\input{/etc/passwd}", "label": "^^5cinput", "email": "a%b@x.io",
                   "summary": r"\write18{touch x}"},
        "work": [{"name": "#1", "position": "$x$", "highlights": ["[opt] first", "~_&"]}],
        "skills": [{"name": "}{", "keywords": ["\\def\\x{\\x}\\x"]}],
    })
    body = split_static(render_tex(resume, template=template))[1]
    for raw in (r"\input{/etc", r"\write18", "^^5c", r"\def\x", "$x$", "[opt]", "{#1}", "a%b"):
        assert raw not in body, raw


def test_unknown_template_is_invalid_input() -> None:
    with pytest.raises(InvalidInput) as err:
        render_tex(Resume(), template="nope")
    assert err.value.field == "template"


def test_layout_floors_are_enforced() -> None:
    # The ATS check's floors (issue 16): body 10 pt, margins half an inch.
    assert (MIN_BODY_PT, MIN_MARGIN_IN) == (10.0, 0.5)
    with pytest.raises(ValueError):
        Layout(font_pt=9.5)
    with pytest.raises(ValueError):
        Layout(margin_in=0.45)
    Layout(font_pt=MIN_BODY_PT, margin_in=MIN_MARGIN_IN)


@pytest.mark.parametrize("template", TEMPLATES)
def test_templates_and_their_tightened_layouts_keep_the_floors(template: str) -> None:
    for layout in (template_info(template).layout, tightened(template_info(template).layout),
                   letter_layout(template)):
        assert layout.font_pt >= MIN_BODY_PT and layout.margin_in >= MIN_MARGIN_IN, layout


def test_template_layout_defaults_are_read_from_the_template() -> None:
    assert template_info("compact").layout.font_pt == 10
    assert Path(__file__).parent.joinpath("reference").is_dir()
