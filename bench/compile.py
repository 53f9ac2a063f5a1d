"""Compile-stage benchmark: per template, the fitted compile of each example resume, and
one TeX run of its final .tex with the precompiled preamble vs a plain `pdflatex` run.

    python -m bench compile        (printed, not asserted)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.compile import compile_resume
from pipeline.compile.render import list_templates
from pipeline.compile.sandbox import TexConfig, default_cache_dir, run_tex
from pipeline.inputs import load_resume
from pipeline.jsonresume import Resume
from pipeline.models import TailoredResume

ROOT = Path(__file__).resolve().parents[1]
REPEAT = 5


def _resumes() -> list[Path]:
    examples = sorted(p for p in (ROOT / "examples" / "resumes").glob("*")
                      if p.suffix in (".json", ".yaml", ".yml"))
    return examples or sorted((ROOT / "tests" / "fixtures" / "resumes").glob("*.json"))


def _plain_pdflatex_ms(tex: str) -> float:
    """One bare `pdflatex` run (no sandbox, no format) of `tex` in a fresh folder."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "r.tex").write_text(tex, encoding="utf-8")
        started = time.perf_counter()
        subprocess.run(["pdflatex", "-interaction=batchmode", "-halt-on-error", "r.tex"],
                       cwd=tmp, capture_output=True, check=True)
        return (time.perf_counter() - started) * 1000


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    config = TexConfig(cache_dir=default_cache_dir())
    resumes = _resumes()
    print(f"{len(resumes)} resumes from {resumes[0].parent.relative_to(ROOT)}, "
          f"median of {REPEAT} runs per .tex")
    print(f"{'template':<9} {'resume':<28} {'fit ms':>7} {'compiles':>8} {'trimmed':>7} "
          f"{'fmt ms':>7} {'plain ms':>8} {'ratio':>6}")
    all_compiles: list[int] = []
    for template, _ in list_templates():
        fmt_all: list[float] = []
        plain_all: list[float] = []
        for path in resumes:
            resume = load_resume(path)
            started = time.perf_counter()
            out = compile_resume(TailoredResume(resume=resume), template=template)
            fit_ms = (time.perf_counter() - started) * 1000
            all_compiles.append(out.compiles)
            fmt = _median([run_tex(out.tex, engine="pdflatex", config=config).elapsed_ms
                           for _ in range(REPEAT)])
            plain = _median([_plain_pdflatex_ms(out.tex) for _ in range(REPEAT)])
            fmt_all.append(fmt)
            plain_all.append(plain)
            print(f"{template:<9} {path.stem[:28]:<28} {fit_ms:7.0f} {out.compiles:8d} "
                  f"{len(out.trimmed):7d} {fmt:7.0f} {plain:8.0f} {fmt / plain:6.2f}")
        print(f"{template:<9} {'median':<28} {'':>7} {'':>8} {'':>7} "
              f"{_median(fmt_all):7.0f} {_median(plain_all):8.0f} "
              f"{_median(fmt_all) / _median(plain_all):6.2f}")
    print(f"compiles per resume: mean {statistics.mean(all_compiles):.2f}, "
          f"max {max(all_compiles)} over {len(all_compiles)} fits")
    cjk = Resume.model_validate({"basics": {"name": "山田 太郎", "label": "Engineer"}, "work": [
        {"name": "Acme", "position": "Developer", "startDate": "2020",
         "highlights": ["Built the billing service"]}]})
    times = []
    for _ in range(3):
        started = time.perf_counter()
        out = compile_resume(TailoredResume(resume=cjk), template="classic")
        times.append((time.perf_counter() - started) * 1000)
    print(f"lualatex (CJK name, fallback fonts, warm cache): {out.engine}, "
          f"median {_median(times):.0f} ms per fitted compile")


if __name__ == "__main__":
    main()
    sys.exit(0)
