"""Hostile values in every field that reaches a template, for every template: the compile
succeeds, the text prints literally, no file is created and no file's content leaks."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from pipeline.compile import compile_resume
from pipeline.compile.parseback import extract_text
from pipeline.compile.render import list_templates, render_tex
from pipeline.compile.sandbox import TexConfig, run_tex
from pipeline.jsonresume import Resume
from pipeline.limits import MAX_BULLET_CHARS, MAX_KEYWORD_CHARS, MAX_PHONE_CHARS
from pipeline.models import TailoredResume

TEMPLATES = [name for name, _ in list_templates()]
PAYLOAD = (r"\input{/etc/passwd} \write18{touch pwned} ^^5cinput{/etc/passwd} ^^5c^^5c "
           r"& % $ # _ { } ~ ^ \ [x] \def\x{\x}\x \csname input\endcsname{/etc/hostname}")
# What a template shows; the test fails if one of these is missing from the page, and any
# other field that shows up must print literally too.
SHOWN = {
    "basics.name", "basics.label", "basics.email", "basics.phone", "basics.url",
    "basics.summary", "basics.location.city", "basics.location.region",
    "basics.profiles[0].url", "work[0].name", "work[0].position", "work[0].location",
    "work[0].summary", "work[0].highlights[0]", "projects[0].name", "projects[0].description",
    "projects[0].highlights[0]", "projects[0].keywords[0]", "projects[0].entity",
    "projects[0].roles[0]", "education[0].institution", "education[0].area",
    "education[0].studyType", "education[0].score", "education[0].courses[0]",
    "skills[0].name", "skills[0].keywords[0]", "certificates[0].name",
    "certificates[0].issuer", "awards[0].title", "awards[0].awarder", "awards[0].summary",
    "publications[0].name", "publications[0].publisher", "publications[0].summary",
    "volunteer[0].organization", "volunteer[0].position", "volunteer[0].summary",
    "volunteer[0].highlights[0]", "languages[0].language", "languages[0].fluency",
    "interests[0].name", "interests[0].keywords[0]",
}


def _hostile(model: type[BaseModel], prefix: str, tags: dict[str, str]) -> dict[str, object]:
    """Every string field of `model` (recursively) set to a tagged payload; dates valid."""
    data: dict[str, object] = {}
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        annotation = info.annotation
        if typing.get_origin(annotation) is list:
            (inner,) = typing.get_args(annotation)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                data[name] = [_hostile(inner, f"{path}[0].", tags)]
            else:
                data[name] = [_tagged(f"{path}[0]", tags)]
            continue
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        kind = options[0] if options else annotation
        if "Date" in name or name == "date":
            data[name] = "2020-01"
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            data[name] = _hostile(kind, f"{path}.", tags)
        else:
            data[name] = _tagged(path, tags)
    return data


# Fields whose size limit (pipeline/limits.py) is below the payload's length get as much of
# it as fits.
_TEXTS: dict[str, str] = {}


def _limit(path: str) -> int | None:
    if path == "basics.phone":
        return MAX_PHONE_CHARS
    return MAX_KEYWORD_CHARS if path.endswith("keywords[0]") else None


def _tagged(path: str, tags: dict[str, str]) -> str:
    tag = f"QQ{len(tags):03d}QQ"
    tags[tag] = path
    text = f"{tag} {PAYLOAD}"[: _limit(path)]
    _TEXTS[tag] = text
    return text


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def hostile() -> tuple[Resume, dict[str, str]]:
    tags: dict[str, str] = {}
    resume = Resume.model_validate(_hostile(Resume, "", tags))
    return resume, tags


@pytest.mark.parametrize("template", TEMPLATES)
def test_payload_in_every_field_prints_literally(template: str, tmp_path: Path,
                                                 tex_config: TexConfig,
                                                 hostile: tuple[Resume, dict[str, str]]) -> None:
    resume, tags = hostile
    workdir = tmp_path / "run"
    workdir.mkdir()
    run = run_tex(render_tex(resume, template=template), engine="pdflatex", config=tex_config,
                  workdir=workdir)
    text = extract_text(run.pdf)
    squeezed = _squeeze(text)
    shown = {tags[t] for t in re.findall(r"QQ\d{3}QQ", text)}
    assert shown >= SHOWN, sorted(SHOWN - shown)
    for tag, path in tags.items():
        if path in shown:
            assert _squeeze(_TEXTS[tag]) in squeezed, path
    assert "root:" not in text and "/bin/" not in text
    assert not (workdir / "pwned").exists() and not Path("pwned").exists()
    assert set(run.files) <= {"resume.tex", "resume.log", "resume.aux", "resume.pdf",
                              "resume.out"}


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_word_as_long_as_a_bullet_may_be(template: str, tex_config: TexConfig) -> None:
    """The longest bullet allowed, as one word: it wraps (filling the lines) instead of
    running off the page. Longer ones are refused before any stage (pipeline/limits.py)."""
    word = "".join("abcdefghij"[i % 10] for i in range(MAX_BULLET_CHARS))
    resume = Resume.model_validate({"basics": {"name": "Long Word"}, "work": [
        {"name": "Acme", "position": "Engineer", "startDate": "2020",
         "highlights": ["Normal bullet", word]}]})
    run = run_tex(render_tex(resume, template=template), engine="pdflatex", config=tex_config)
    assert word in _squeeze(extract_text(run.pdf))
    fitted = compile_resume(TailoredResume(resume=resume), template=template,
                            cache_dir=tex_config.cache_dir)
    assert fitted.pages == 1 and fitted.trimmed == []
    with pytest.raises(ValidationError, match="longer than 1000 characters"):
        Resume.model_validate({"work": [{"highlights": [word * 10]}]})


@pytest.mark.parametrize("template", TEMPLATES)
def test_hostile_name_and_bullet_fit_one_page(template: str, tex_config: TexConfig) -> None:
    resume = Resume.model_validate({"basics": {"name": f"Eve {PAYLOAD}"}, "work": [
        {"name": "Acme", "position": "Engineer", "startDate": "2020", "highlights": [PAYLOAD]}]})
    out = compile_resume(TailoredResume(resume=resume), template=template,
                         cache_dir=tex_config.cache_dir, keywords=["[x]", "#"])
    assert out.pages == 1 and out.trimmed == []
    assert out.parse_back is not None and out.parse_back.ok, out.parse_back
    assert _squeeze(PAYLOAD) in _squeeze(out.text)
