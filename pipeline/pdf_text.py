"""poppler's pdftotext on PDF bytes, for the parse-back check (pipeline.compile.parseback) and
the ATS check (pipeline.ats): both read the final PDF's text, and tailoring runs both on the
same bytes, so the last few answers are kept by the PDF's digest instead of starting the tool
twice (about 9 ms of CPU a job). Light on purpose: the command line imports it at start-up."""

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


def pdftotext(pdf: bytes) -> tuple[bool, str] | None:
    """(whether pdftotext read the PDF, its text: each page ending in a form feed); None when
    pdftotext is not installed."""
    binary = shutil.which("pdftotext")
    if binary is None:
        return None
    key = hashlib.blake2b(pdf, digest_size=16).digest()
    with _lock:
        if key in _answers:
            _answers.move_to_end(key)
            return _answers[key]
    proc = subprocess.run([binary, "-q", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, timeout=TIMEOUT_S,
                          env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"}, check=False)
    answer = (proc.returncode == 0,
              proc.stdout.decode("utf-8", errors="replace") if proc.returncode == 0 else "")
    with _lock:
        _answers[key] = answer
        while len(_answers) > _KEPT:
            _answers.popitem(last=False)
    return answer
