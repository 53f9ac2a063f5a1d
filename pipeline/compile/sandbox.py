"""Running TeX in a sandbox, with a precompiled preamble when one can be built.

Defence in depth, on top of escaping every value: a fresh directory per run, an environment
holding only what TeX needs (`openin_any=p`, `openout_any=p`, `shell_escape=f`, HOME in the
run's directory), `-no-shell-escape -interaction=batchmode -halt-on-error`, no font
generation, the coreutils `timeout -s KILL` (Python's own timeout polls and costs ~20 ms per
run), and `prlimit` caps on CPU time, file size and memory when the tool is there.

lualatex needs more: `\\directlua` reaches Lua's `io`, `os` and `lfs`, which ignore
`openin_any`/`openout_any`, and `--safer` would also break fontspec. So lualatex runs with
`--nosocket` and `lua_sandbox.lua` as its initialization script, which narrows reading to the
TeX and font trees, the font cache and the job's directory, writing to the job's directory,
and removes commands, C modules and MetaPost. The font cache it reads was built beforehand by
`warm_lualatex` from documents of our own; a compile of user content never writes to it.
"""

from __future__ import annotations

import fcntl
import hashlib
import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from pipeline.compile.render import Engine, list_templates, render_tex, split_static
from pipeline.errors import CompileError
from pipeline.jsonresume import Resume

_MARK = re.compile(r"rtpos ([ble])(\d*) (\d+) (-?\d+)")
_FIT = re.compile(r"rtfit textheight=([\d.]+)pt top=([\d.]+)pt gap=([\d.]+)pt")
_PAGES = re.compile(r"Output written on \S+ \((\d+) pages?")
_LOST_CHAR = re.compile(r"Missing character: There is no (\S+) (?:\(U\+([0-9A-F]+)\) )?in font")
_LOG_TAIL_LINES = 40
_SP_PER_PT = 65536.0
_RETRY_FORMAT_AFTER_S = 3600  # a format that failed to build (maybe a killed run) is retried
# lualatex's first run builds its font cache (4.5 s idle, 16 s measured on a busy machine);
# the warming runs get this much time at least, later runs the caller's timeout.
_LUALATEX_COLD_TIMEOUT_S = 120.0
LUA_SANDBOX = Path(__file__).with_name("lua_sandbox.lua")
# What warms the font cache: every template set in lualatex with the scripts and styles a
# resume may use (the fallback fonts load with the main font; bold and italic are loaded
# by the templates' headings and dates).
_WARM_RESUME = {
    "basics": {"name": "Warm 暖かい Тёплый", "label": "Ω ≈ → ★ ü", "email": "w@example.com",
               "summary": "中文 日本語 Ελληνικά Русский العربية ✓"},
    "work": [{"name": "株式会社", "position": "Engineer", "startDate": "2020",
              "highlights": ["Latin Modern ü é ß, CJK 漢字, Cyrillic Жж"]}],
    "skills": [{"name": "Skills", "keywords": ["Python", "ÆØÅ"]}],
}


@dataclass(frozen=True)
class TexConfig:
    """Where TeX lives and where its caches go; callers pass it in (no environment reads)."""

    cache_dir: Path
    tex_bin_dir: Path | None = None
    timeout_s: float = 20.0
    use_format: bool = True
    memory_bytes: int = 2 << 30  # lualatex with CJK fallback fonts needs a few hundred MB
    max_file_bytes: int = 64 << 20


def default_cache_dir() -> Path:
    return Path.home() / ".cache" / "resume-tailor" / "latex"


@dataclass(frozen=True)
class Mark:
    kind: str  # "b" begins a droppable piece, "e" ends it, "l" any other line
    id: str
    page: int
    y_pt: float  # from the bottom of the page


@dataclass
class TexRun:
    engine: Engine
    pdf: bytes
    log: str
    pages: int
    marks: list[Mark]
    text_height_pt: float
    top_pt: float  # y of the top of the text area
    gap_pt: float  # the largest space between entries, lost at a page break
    elapsed_ms: float
    used_format: bool
    files: list[str] = field(default_factory=list)  # what the run left in its directory


def _binary(config: TexConfig, name: str) -> str:
    if config.tex_bin_dir is not None:
        return str(config.tex_bin_dir / name)
    found = shutil.which(name)
    if found is None:
        raise CompileError(f"{name} is not installed (run `make tex`)")
    return found


_TEX_TREES = ("TEXMFDIST", "TEXMFMAIN", "TEXMFLOCAL", "TEXMFSYSVAR", "TEXMFSYSCONFIG")


@cache
def _tex_trees(kpsewhich: str) -> str:
    """The installation's TeX trees, which lua_sandbox.lua lets Lua read (kpathsea is not
    ready when that script runs, so it cannot ask)."""
    roots = []
    for var in _TEX_TREES:
        out = subprocess.run([kpsewhich, f"-var-value={var}"], capture_output=True, text=True,
                             check=False, env={"PATH": "/usr/bin:/bin"})
        value = out.stdout.strip()
        if value.startswith("/") and not re.search(r"[{},:;!$]", value):
            roots.append(value)
    return ":".join(roots)


def _environment(config: TexConfig, home: Path, *, trusted: bool = True) -> dict[str, str]:
    """What TeX sees. Untrusted (user content under lualatex): luaotfload insists on a
    writable cache, so it gets a throw-away one in the job's directory, listed first, and
    reads the shared, warmed cache after it; lua_sandbox.lua refuses writes to the latter."""
    path = "/usr/local/bin:/usr/bin:/bin"
    if config.tex_bin_dir is not None:
        path = f"{config.tex_bin_dir}:{path}"
    texmf_var = str(config.cache_dir / "texmf-var")
    with_kpsewhich = shutil.which("kpsewhich", path=path)
    return {
        "RT_LUA_READ_ROOTS": _tex_trees(with_kpsewhich) if with_kpsewhich else "",
        "PATH": path,
        "HOME": str(home),
        "TEXMFVAR": texmf_var,  # lualatex's font cache: kept between runs, warmed once
        "TEXMFCACHE": texmf_var if trusted else f"{home / 'texmf-cache'}:{texmf_var}",
        "openin_any": "p",
        "openout_any": "p",
        "shell_escape": "f",
        "max_print_line": "10000",  # log lines unwrapped, so marks parse reliably
        "LC_ALL": "C.UTF-8",
    }


@cache
def _prlimit() -> str | None:
    return shutil.which("prlimit")


def _sandboxed(argv: list[str], config: TexConfig) -> list[str]:
    limits: list[str] = []
    if _prlimit():
        cpu = math.ceil(config.timeout_s) + 1
        limits = [_prlimit() or "prlimit", f"--cpu={cpu}", f"--fsize={config.max_file_bytes}",
                  f"--as={config.memory_bytes}", "--"]
    timeout = shutil.which("timeout") or "timeout"
    return [timeout, "-s", "KILL", f"{config.timeout_s:g}", *limits, *argv]


def _engine_args(engine: Engine, *, trusted: bool = False) -> list[str]:
    """`trusted` is for our own documents only (warming the font cache): it lets lualatex's
    Lua write the cache."""
    common = ["-no-shell-escape", "-interaction=batchmode", "-halt-on-error"]
    if engine == "pdflatex":
        return [*common, "-no-mktex=pk", "-no-mktex=tfm"]
    lua = ["--nosocket"] if trusted else ["--nosocket", f"--lua={LUA_SANDBOX}"]
    return [*lua, *common, "-no-mktex=tfm"]


@cache
def tex_version(binary: str) -> str:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.splitlines()[0] if out.stdout else binary


def _format_path(static: str, config: TexConfig) -> Path:
    binary = _binary(config, "pdflatex")
    key = hashlib.sha256(f"{tex_version(binary)}\n{static}".encode()).hexdigest()[:20]
    return config.cache_dir / "formats" / f"rt-{key}.fmt"


def ensure_format(static: str, config: TexConfig) -> Path | None:
    """A pdflatex format holding `static` (a template's fixed preamble), built once.

    Keyed by the preamble's text and the TeX version, so a changed template or TeX Live
    rebuilds it. None when it cannot be built: the caller compiles without it.
    """
    target = _format_path(static, config)
    if target.exists():
        return target
    failed = target.with_suffix(".failed")
    if failed.exists() and failed.stat().st_mtime > time.time() - _RETRY_FORMAT_AFTER_S:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        work = Path(tmp)
        (work / "pre.tex").write_text(static + "\\dump\n", encoding="utf-8")
        argv = [_binary(config, "pdflatex"), "-ini", *_engine_args("pdflatex"),
                "-jobname=rtfmt", "&pdflatex", "pre.tex"]
        proc = subprocess.run(_sandboxed(argv, config), cwd=work, env=_environment(config, work),
                              stdin=subprocess.DEVNULL, capture_output=True, check=False)
        built = work / "rtfmt.fmt"
        if proc.returncode != 0 or not built.exists():
            failed.write_text(_log_tail(work / "rtfmt.log"), encoding="utf-8")
            return None
        os.replace(built, target)  # atomic: a concurrent run sees all of it or nothing
    return target


def _log_tail(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return "\n".join(lines[-_LOG_TAIL_LINES:])


def warm_lualatex(config: TexConfig) -> None:
    """Build lualatex's font cache from our own documents, once per cache directory.

    A setup step (the first lualatex compile runs it when it has not run): compiles of
    user content then only read the cache, so they need no write access to it. Serialised by
    a lock, since luaotfload's cache does not survive two writers.
    """
    marker = config.cache_dir / "lualatex.warm"
    if marker.exists():
        return
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    cold = replace(config, timeout_s=max(config.timeout_s, _LUALATEX_COLD_TIMEOUT_S))
    with open(config.cache_dir / "lualatex.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists():
            return
        resume = Resume.model_validate(_WARM_RESUME)
        for name, _ in list_templates():
            tex = render_tex(resume, template=name, engine="lualatex")
            with tempfile.TemporaryDirectory(prefix="rt-warm-") as tmp:
                _run_in(Path(tmp), tex, "lualatex", cold, None, trusted=True)
        marker.touch()


def run_tex(tex: str, *, engine: Engine, config: TexConfig,
            workdir: Path | None = None) -> TexRun:
    """Compile `tex` once. `workdir` (an empty directory) is for tests that inspect it."""
    fmt = None
    if engine == "pdflatex" and config.use_format:
        static, rest = split_static(tex)
        fmt = ensure_format(static, config)
    source = rest if fmt is not None else tex
    if engine == "lualatex":
        warm_lualatex(config)
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="rt-tex-") as tmp:
            return _run_in(Path(tmp), source, engine, config, fmt)
    return _run_in(workdir, source, engine, config, fmt)


def _run_in(work: Path, source: str, engine: Engine, config: TexConfig,
            fmt: Path | None, *, trusted: bool = False) -> TexRun:
    (work / "resume.tex").write_text(source, encoding="utf-8")
    argv = [_binary(config, engine), *_engine_args(engine, trusted=trusted), "-jobname=resume"]
    if fmt is not None:
        argv.append(f"-fmt={fmt.with_suffix('')}")
    argv.append("resume.tex")
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    env = _environment(config, work, trusted=trusted or engine != "lualatex")
    if engine == "lualatex" and not trusted:
        _copy_font_names(config, work)
    proc = subprocess.run(_sandboxed(argv, config), cwd=work, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, check=False)
    elapsed = (time.perf_counter() - started) * 1000
    log_path = work / "resume.log"
    log = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    if proc.returncode in (-9, 124, 137):
        raise CompileError(f"{engine} took longer than {config.timeout_s:g}s and was stopped",
                           log=_log_tail(log_path))
    pdf_path = work / "resume.pdf"
    if proc.returncode != 0 or not pdf_path.exists():
        raise CompileError(f"{engine} failed: {first_error(log) or 'no PDF written'}",
                           log=_log_tail(log_path))
    return _parse_run(engine, pdf_path.read_bytes(), log, elapsed, fmt is not None,
                      sorted(p.name for p in work.iterdir()))


_NAMES = Path("luatex-cache", "generic", "names")


def _copy_font_names(config: TexConfig, work: Path) -> None:
    """luaotfload reads its font-name index only from its writable cache, so the job's
    throw-away cache gets a copy of the warmed one (about 60 KB); the cached fonts
    themselves it reads from the shared cache, which lua_sandbox.lua keeps read-only."""
    names = config.cache_dir / "texmf-var" / _NAMES
    if names.is_dir():
        shutil.copytree(names, work / "texmf-cache" / _NAMES, dirs_exist_ok=True)


def first_error(log: str) -> str:
    for line in log.splitlines():
        if line.startswith("!"):
            return line[1:].strip()
    return ""


def lost_characters(log: str) -> list[str]:
    """Characters a font lacked ("Missing character" lines), as the characters themselves."""
    found = []
    for name, code in _LOST_CHAR.findall(log):
        found.append(chr(int(code, 16)) if code else name)
    return found


def _parse_run(engine: Engine, pdf: bytes, log: str, elapsed: float, used_format: bool,
               files: list[str]) -> TexRun:
    fit = _FIT.search(log)
    pages = _PAGES.search(log)
    if fit is None or pages is None:
        raise CompileError("TeX log lacks the page measurements", log=log[-4000:])
    marks = [Mark(kind, ident, int(page), int(y) / _SP_PER_PT)
             for kind, ident, page, y in _MARK.findall(log)]
    return TexRun(engine=engine, pdf=pdf, log=log, pages=int(pages.group(1)), marks=marks,
                  text_height_pt=float(fit.group(1)), top_pt=float(fit.group(2)),
                  gap_pt=float(fit.group(3)), elapsed_ms=elapsed, used_format=used_format,
                  files=files)
