"""The sandbox and the format cache, with raw TeX that skips the escaping on purpose:
defence in depth must hold on its own."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from pipeline.compile.parseback import extract_text
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


# ---------------------------------------------------------------- lualatex's Lua

def _lua_tex(body: str) -> str:
    """A lualatex document from a real template's preamble (fontspec, the fallback fonts)
    around a raw body: the escaping is skipped, so only the sandbox stands in the way."""
    resume = Resume.model_validate({"basics": {"name": "Raw 山田"}})
    tex = render_tex(resume, template="classic", engine="lualatex")
    head, _, _ = tex.partition("\\begin{document}")
    return f"{head}\\begin{{document}}\nStart 山田\n{body}\n\\end{{document}}\n"


# {path}: a file outside the job's directory (as /etc/hostname would be)
_LUA_PAYLOADS = {
    "io.open": "local f = io.open('{path}'); tex.print(f and f:read('l') or 'NOREAD')",
    "io.lines": "for l in io.lines('{path}') do tex.print(l) end",
    "dotdot": "local f = io.open('/usr/share/fonts/../../..{path}'); tex.print(f:read('l'))",
    "loadfile": "local f, e = loadfile('{path}'); tex.print(tostring(e))",
    "pdf.obj": ("pdf.setcompresslevel(0); pdf.setobjcompresslevel(0);"
                "tex.print(tostring(pdf.immediateobj('streamfile', '{path}')))"),
    "img": "local i = img.new{{}}; i.filename = '{path}'; img.write(i)",
    "mplib": ("local mp = mplib.new{{find_file = function(n) return n end}};"
              "tex.print(tostring(mp))"),
    "debug": ("local _, open = debug.getupvalue(io.open, 1);"
              "tex.print(open('{path}'):read('l'))"),
}


@pytest.mark.parametrize("name", sorted(_LUA_PAYLOADS))
def test_lua_cannot_read_outside_its_trees(name: str, tex_config: TexConfig,
                                           tmp_path: Path) -> None:
    secret = "SECRET" + "7f3a9c" * 3
    planted = tmp_path / "elsewhere" / "hostname"
    planted.parent.mkdir()
    planted.write_text(secret + "\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    body = "\\directlua{" + _LUA_PAYLOADS[name].format(path=planted) + "}"
    for path in (planted, Path("/etc/hostname")):  # and the real one, for the record
        tex = _lua_tex(body.replace(str(planted), str(path)))
        try:
            run = run_tex(tex, engine="lualatex", config=tex_config, workdir=work)
        except CompileError as err:  # a refused call may stop TeX: either way, no leak
            assert secret not in err.log
            continue
        finally:
            for leftover in work.glob("resume.*"):
                leftover.unlink()
        assert secret.encode() not in run.pdf and secret not in run.log
        assert secret not in extract_text(run.pdf)


def test_lua_cannot_write_outside_nor_run_commands(tex_config: TexConfig,
                                                   tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    cache = tex_config.cache_dir / "texmf-var"
    targets = [tmp_path / "escaped.txt", cache / "planted.lua", tmp_path / "ran"]
    targets[1].unlink(missing_ok=True)  # the shared cache outlives test runs
    calls = [
        f"local f = io.open('{targets[0]}', 'w'); if f then f:write('x'); f:close() end",
        f"local f = io.open('{targets[1]}', 'w'); if f then f:write('x'); f:close() end",
        f"os.execute('touch {targets[2]}')",
        f"local p = io.popen('touch {targets[2]}'); if p then p:close() end",
        f"os.rename('resume.tex', '{targets[0]}')",
        f"lfs.mkdir('{tmp_path / 'dir'}')",
        "lfs.chdir('/')",
        "local ok = lfs.link('/etc/hostname', 'h', true)",
        "tex.print(tostring(require('socket')))",
        "package.loadlib('/lib/x86_64-linux-gnu/libc.so.6', 'system')('touch ran')",
    ]
    for call in calls:
        body = "\\directlua{pcall(function() " + call + " end)}"
        run_tex(_lua_tex(body), engine="lualatex", config=tex_config, workdir=work)
        for leftover in work.iterdir():
            if leftover.name.startswith("resume."):
                leftover.unlink()
    assert not any(t.exists() for t in targets), [t for t in targets if t.exists()]
    assert not (tmp_path / "dir").exists() and not (work / "h").exists()


def test_lua_writes_inside_its_directory_and_the_fonts_still_load(tex_config: TexConfig,
                                                                  tmp_path: Path) -> None:
    body = ("\\directlua{local f = io.open('note.txt', 'w'); f:write('ok'); f:close();"
            "tex.print(io.open('note.txt'):read('a'))} 日本語 Ελληνικά")
    run = run_tex(_lua_tex(body), engine="lualatex", config=tex_config, workdir=tmp_path)
    assert (tmp_path / "note.txt").read_text() == "ok"
    text = extract_text(run.pdf)
    assert "Start 山田" in text and "ok" in text and "日本語" in text


def test_crafted_bytecode_is_refused(tex_config: TexConfig, tmp_path: Path) -> None:
    """Bytecode string.dump made in the run loads (lualibs needs it); changed bytes, or
    bytecode from a file in the job's directory, do not."""
    body = ("\\directlua{local b = string.dump(function() return 1 end);"
            "local c = b:sub(1, -2) .. string.char(255 - b:byte(-1));"
            "local f, e = load(c); tex.print(f and 'LOADED' or ('REFUSED ' .. e));"
            "local out = io.open('x.luc', 'wb'); out:write(b); out:close();"
            "local h = loadfile('x.luc'); tex.print(h and 'FILE' or 'NOFILE');"
            "tex.print(load(b) and 'OWN' or 'NONE')}")
    run = run_tex(_lua_tex(body), engine="lualatex", config=tex_config, workdir=tmp_path)
    text = extract_text(run.pdf)
    assert "REFUSED" in text and "binary chunk" in text
    assert "NOFILE" in text and "OWN" in text
