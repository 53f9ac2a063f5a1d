"""The sandbox and the format cache, with raw TeX that skips the escaping on purpose:
defence in depth must hold on its own."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from pipeline.compile.render import render_tex, split_static
from pipeline.compile.sandbox import TexConfig, ensure_format, run_tex
from pipeline.errors import CompileError
from pipeline.jsonresume import Resume


def _tex(body: str) -> str:
    """A real template's preamble around a raw body (not escaped: that is the point)."""
    tex = render_tex(Resume.model_validate({"basics": {"name": "Raw"}}), template="classic")
    head, _, _ = tex.partition("\\begin{document}")
    return f"{head}\\begin{{document}}\n{body}\n\\end{{document}}\n"


def test_format_is_built_once_and_reused(tmp_path: Path) -> None:
    config = TexConfig(cache_dir=tmp_path / "cache")
    static = split_static(_tex("x"))[0]
    fmt = ensure_format(static, config)
    assert fmt is not None and fmt.exists()
    mtime = fmt.stat().st_mtime_ns
    run = run_tex(_tex("Hello"), engine="pdflatex", config=config)
    assert run.used_format and run.pages == 1
    assert ensure_format(static, config) == fmt and fmt.stat().st_mtime_ns == mtime


def test_a_preamble_that_cannot_be_dumped_falls_back_to_a_plain_run(tmp_path: Path) -> None:
    config = TexConfig(cache_dir=tmp_path / "cache")
    assert ensure_format("\\documentclass{article}\n\\undefinedcommand\n", config) is None
    assert ensure_format("\\documentclass{article}\n\\undefinedcommand\n", config) is None


def test_tex_errors_raise_compile_error_with_the_log(tex_config: TexConfig) -> None:
    with pytest.raises(CompileError) as err:
        run_tex(_tex("\\undefinedmacro"), engine="pdflatex", config=tex_config)
    assert "Undefined control sequence" in str(err.value)
    assert "undefinedmacro" in err.value.log


def test_reading_outside_the_folder_is_refused(tex_config: TexConfig, tmp_path: Path) -> None:
    with pytest.raises(CompileError) as err:
        run_tex(_tex("\\input{/etc/passwd}"), engine="pdflatex", config=tex_config,
                workdir=tmp_path)
    assert "root:" not in err.value.log
    assert not (tmp_path / "resume.pdf").exists() or b"root:" not in (
        tmp_path / "resume.pdf").read_bytes()


def test_shell_escape_and_writing_outside_are_refused(tex_config: TexConfig,
                                                      tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    body = ("\\immediate\\write18{touch pwned}"
            "\\immediate\\openout5=../escaped.tex \\immediate\\write5{x}\\immediate\\closeout5 ok")
    with contextlib.suppress(CompileError):  # refusing the write may halt TeX: either way
        run_tex(_tex(body), engine="pdflatex", config=tex_config, workdir=work)
    assert not (work / "pwned").exists()
    assert not (tmp_path / "escaped.tex").exists()


def test_an_endless_loop_is_killed(tex_config: TexConfig, tmp_path: Path) -> None:
    config = TexConfig(cache_dir=tex_config.cache_dir, timeout_s=1.5)
    with pytest.raises(CompileError) as err:
        run_tex(_tex("\\def\\x{\\x}\\x"), engine="pdflatex", config=config, workdir=tmp_path)
    assert "longer than 1.5s" in str(err.value)
