"""Small raw LaTeX documents, compiled by the pipeline's own sandboxed compiler, each built to
pass every ATS rule or to break exactly one."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from pipeline.compile.sandbox import TexConfig, run_tex

NAME = "Avery Quinn"
HEADINGS = ("Summary", "Experience", "Education", "Skills")
BODY = ("Backend engineer who builds payment services in Python and PostgreSQL, with careful "
        "attention to correctness, reliability and clear written design documents for every "
        "service the team owns. ")


def tex(*, preamble: str = "", header: str | None = None, sections: str | None = None,
        size: str = r"\fontsize{10.5}{12.6}\selectfont", margin: str = "0.75in") -> str:
    contact = header if header is not None else (
        r"Denver, CO \quad avery.quinn@example.com \quad +1 (555) 010-2030")
    body = sections if sections is not None else "\n".join([
        r"\section*{Summary}" + BODY * 2,
        r"\section*{Experience}\textbf{Backend Engineer, Ledgerline} \hfill Jan 2020 -- Present"
        r"\par " + BODY,
        r"\section*{Education}\textbf{BSc Computer Science} \hfill Sep 2012 -- Jun 2016\par",
        r"\section*{Skills}Python, PostgreSQL, Go, Django\par",
    ])
    return "\n".join([
        r"\documentclass{article}",
        r"\usepackage[T1]{fontenc}\usepackage{lmodern}",
        r"\input{glyphtounicode}\pdfgentounicode=1",
        rf"\usepackage[letterpaper,margin={margin}]{{geometry}}",
        r"\usepackage{graphicx}",
        r"\pagestyle{empty}\setlength\parindent{0pt}",
        # The compiler reads the page measurements the templates write; these documents
        # have no fitting to do, so any values serve.
        r"\AtEndDocument{\immediate\write-1{rtfit textheight=1pt top=1pt gap=1pt}}",
        preamble,
        r"\begin{document}",
        size,
        rf"{{\Large\bfseries {NAME}\par}}",
        contact + r"\par",
        body,
        r"\end{document}",
    ])


def compile_pdf(source: str, workdir: Path, files: dict[str, bytes] | None = None) -> bytes:
    """`source` compiled in `workdir`, with `files` (an image, say) placed beside it."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name, data in (files or {}).items():
        (workdir / name).write_bytes(data)
    config = TexConfig(cache_dir=workdir.parent / "tex-cache", use_format=False)
    return run_tex(source, engine="pdflatex", config=config, workdir=workdir).pdf


def png(width: int, height: int) -> bytes:
    """A grey PNG of width × height pixels, written by hand (no imaging library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes([128, 128, 128]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))
