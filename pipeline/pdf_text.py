"""poppler's tools on PDF bytes (`run_poppler`), and pdftotext's text for the parse-back check
(pipeline.compile.parseback) and the ATS check (pipeline.ats): both read the final PDF's text,
and tailoring runs both on the same bytes, so the last few answers are kept by the PDF's
digest instead of starting the tool twice (about 9 ms of CPU a job). Light on purpose: the
command line imports it at start-up."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import threading
from collections import OrderedDict

TIMEOUT_S = 30
_KEPT = 8  # PDFs whose text is kept: a resume and a letter, in a few threads at once

_answers: OrderedDict[bytes, tuple[bool, str]] = OrderedDict()
_lock = threading.Lock()


def run_poppler(tool: str, args: list[str], pdf: bytes) -> tuple[bool, str] | None:
    """(whether the tool read the PDF given on its standard input, its output); None when
    the tool is not installed."""
    binary = shutil.which(tool)
    if binary is None:
        return None
    proc = subprocess.run([binary, *args], input=pdf, capture_output=True, timeout=TIMEOUT_S,
                          env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}, check=False)
    if proc.returncode != 0:
        return False, ""
    return True, proc.stdout.decode("utf-8", errors="replace")


def pdftotext(pdf: bytes) -> tuple[bool, str] | None:
    """`run_poppler` of pdftotext's text (each page ending in a form feed), kept for the
    last few PDFs."""
    key = hashlib.blake2b(pdf, digest_size=16).digest()
    with _lock:
        if key in _answers:
            _answers.move_to_end(key)
            return _answers[key]
    answer = run_poppler("pdftotext", ["-q", "-enc", "UTF-8", "-", "-"], pdf)
    if answer is None:
        return None
    with _lock:
        _answers[key] = answer
        while len(_answers) > _KEPT:
            _answers.popitem(last=False)
    return answer
