"""Run every benchmark module in this package, or those named: `python -m bench [name ...]`.

Modules are found by listing the package, so a benchmark that another part of the project
has not written yet is simply absent, and one that fails to import is reported and skipped.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path


def available() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def main(argv: list[str]) -> int:
    known = available()
    if any(arg in ("-h", "--help") for arg in argv):
        print(f"usage: python -m bench [name ...]\n\n{__doc__.strip()}\n\n"
              f"benchmarks: {' '.join(known)}\n"
              "Each takes its own options: python -m bench.NAME --help")
        return 0
    unknown = [name for name in argv if name not in known]
    if unknown:
        print(f"no benchmark named {', '.join(unknown)}; there are: {' '.join(known)}",
              file=sys.stderr)
        return 2
    names = argv or known
    failed = 0
    for name in names:
        print(f"\n=== bench.{name} ===", flush=True)
        started = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            run = getattr(module, "main", None)
            if run is None:
                print(f"bench.{name} has no main(); skipped")
                continue
            sys.argv = [f"bench.{name}"]  # each module parses its own (default) arguments
            run()
        except Exception:  # a broken benchmark must not hide the others' numbers
            failed += 1
            traceback.print_exc()
        print(f"--- bench.{name}: {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
