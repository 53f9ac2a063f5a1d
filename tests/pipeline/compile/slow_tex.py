"""A TeX bin dir whose engines start late: a compile that is slow whatever the machine's speed
(the compile time-budget test, the workers' time-limit and kill tests)."""

from __future__ import annotations

import shutil
from pathlib import Path


def slow_tex(directory: Path, delay_s: float) -> Path:
    """A TeX bin dir whose engines start `delay_s` late (version queries stay fast)."""
    directory.mkdir()
    for engine in ("pdflatex", "lualatex"):
        real = shutil.which(engine)
        assert real, f"{engine} is not installed"
        script = directory / engine
        script.write_text(f'#!/bin/sh\ncase "$1" in -*version) ;; *) sleep {delay_s} ;; esac\n'
                          f'exec {real} "$@"\n')
        script.chmod(0o755)
    return directory
