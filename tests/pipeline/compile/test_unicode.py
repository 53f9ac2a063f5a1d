"""Unicode: Latin accents through pdflatex; other scripts through lualatex with fallback
fonts, or a clear error naming the field; never silently dropped or garbled."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.compile import compile_resume
from pipeline.compile.fonts import choose_engine, foreign_characters, iter_strings
from pipeline.compile.parseback import normalise
from pipeline.errors import InvalidInput
from pipeline.jsonresume import Resume
from pipeline.models import TailoredResume


def _resume(name: str, bullet: str = "Built the billing service") -> Resume:
    return Resume.model_validate({"basics": {"name": name, "label": "Engineer"}, "work": [
        {"name": "Acme", "position": "Developer", "startDate": "2020", "highlights": [bullet]}]})


@pytest.mark.parametrize("name", ["José Müller", "Søren Ørsted", "Łukasz Wałęsa",
                                  "Zoë Ćosić-Šťastný", "François Œuvre — “quoted” €5"])
def test_european_names_render_with_pdflatex(name: str, cache_dir: Path) -> None:
    out = compile_resume(TailoredResume(resume=_resume(name)), template="classic",
                         cache_dir=cache_dir)
    assert out.engine == "pdflatex"
    assert normalise(name) in normalise(out.text)
    assert out.parse_back is not None and out.parse_back.ok


def test_cjk_name_renders_with_lualatex(cache_dir: Path) -> None:
    name = "山田 太郎"
    out = compile_resume(TailoredResume(resume=_resume(name, r"Led \input{/etc/passwd} & 开发")),
                         template="modern", cache_dir=cache_dir)
    assert out.engine == "lualatex" and out.pages == 1
    assert name in out.text and r"Led \input{/etc/passwd} & 开发" in out.text
    assert "root:" not in out.text
    assert out.parse_back is not None and out.parse_back.ok


def test_script_no_installed_font_has_fails_naming_the_field(cache_dir: Path) -> None:
    # Hangul: not in DejaVu or Droid Sans Fallback on these machines.
    with pytest.raises(InvalidInput) as err:
        compile_resume(TailoredResume(resume=_resume("Kim", "Speaks 한국어")),
                       template="classic", cache_dir=cache_dir)
    assert err.value.field == "work[0].highlights[0]"
    assert "U+D55C" in str(err.value)


def test_routing_picks_the_engine_from_the_characters() -> None:
    assert choose_engine(_resume("Łukasz Øre")) == "pdflatex"
    assert choose_engine(_resume("Nguyễn Văn An")) == "lualatex"
    assert choose_engine(_resume("Ivan", "Работал в Москве")) == "lualatex"
    # Invisible format characters are removed, not a reason to switch engines.
    assert choose_engine(_resume("Ada\u200b Lovelace")) == "pdflatex"
    found = foreign_characters(iter_strings(_resume("Ivan", "Москва")))
    assert found["М"] == ["work[0].highlights[0]"]


# Characters the compact template (Times, whose TS1 is partial) failed on, while the other
# templates printed them: now every template sets each of them with pdflatex.
_TS1_GAPS = "`¨¯´ˇ˘˝฿‱※⁒₡₤₦₩₫₱№℗℞℠℧℮←↑→↓〈〉◦◯♪⟨⟩〈〉"


@pytest.mark.parametrize("template", ["classic", "compact", "modern"])
def test_every_template_prints_the_text_companion_symbols(template: str,
                                                          cache_dir: Path) -> None:
    resume = _resume("Ada Lovelace", "Symbols " + " ".join(_TS1_GAPS))
    assert len(_TS1_GAPS) == 36
    assert choose_engine(resume) == "pdflatex"
    out = compile_resume(TailoredResume(resume=resume), template=template,
                         cache_dir=cache_dir)
    assert out.engine == "pdflatex" and out.pages == 1
    assert "Symbols" in out.text
    assert "→" in out.text and "№" in out.text
