"""Measuring a template once, so `predict` can size a resume before compiling it.

Two synthetic resumes, built to hold every kind of segment in every order the templates
produce, are compiled through the real template (same preamble, same format, same sandbox).
The first also writes into the log the width of every common character in the body, bold,
italic and small fonts, the interword glue, the line width and the baseline skips. Each
segment's constant is its measured height less its extra lines. The result is cached as
JSON beside the formats, keyed by the calibration source and the TeX version, so a changed
template or TeX Live measures again.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
from dataclasses import asdict
from functools import cache

from pipeline.compile.content import build_view
from pipeline.compile.escape import escape_tex
from pipeline.compile.predict import Event, FontMetrics, Metrics, events
from pipeline.compile.render import Layout, render_view
from pipeline.compile.sandbox import TexConfig, TexRun, _binary, run_tex, tex_version
from pipeline.errors import CompileError
from pipeline.jsonresume import Resume

VERSION = "4"
FONTS = {"rm": r"\normalfont\normalsize", "bf": r"\normalfont\normalsize\bfseries",
         "it": r"\normalfont\normalsize\itshape", "sm": r"\normalfont\small"}
CHARS = ("".join(chr(c) for c in range(33, 127))
         + "".join(chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7))
         + "–—‘’“”•…€©®°±·½")
_WIDTH = re.compile(r"^rtw (\w+) (\d+) ([\d.]+)pt$", re.M)
_VALUE = re.compile(r"^rtm (\w+) ([\d.-]+)pt$", re.M)

# Ordinary resume prose, for the average effect of kerning and ligatures.
_SAMPLE = ("Reduced infrastructure costs by 30% with autoscaling, profiling and right-sized "
           "Kubernetes workloads; led office hours for a team of fifteen (Python, Go, AWS).")
_S = "Designed scalable pipelines, improving query throughput by forty percent"
_L = ("Migrated the legacy billing platform to event-driven services in Go and Kafka, "
      "cutting deploy time from days to hours and paging load by half across teams")


def _resumes() -> list[dict[str, object]]:
    """Synthetic resumes covering each segment kind after each kind that can precede it."""
    basics = {"name": "Jordan Example", "label": "Platform Engineer", "email": "j@example.org",
              "phone": "+1 555 0100", "url": "https://example.org"}
    work = [
        {"name": "Acme", "position": "Engineer", "startDate": "2020-01", "summary": _S,
         "highlights": [_S, _L, _S]},
        {"name": "Globex", "position": "Developer", "startDate": "2018-02", "endDate": "2019-12",
         "highlights": [_L, _S]},
        {"name": "Initech", "position": "Analyst", "startDate": "2016", "summary": _L},
        {"name": "Hooli Group", "position": "Intern", "startDate": "2015"},
    ]
    first: dict[str, object] = {
        "basics": {**basics, "summary": _L}, "work": work,
        "projects": [{"name": "Ledger", "description": _S, "highlights": [_S],
                      "keywords": ["Go", "Kafka"]},
                     {"name": "Gauge", "keywords": ["Python", "Spark"]},
                     {"name": "Pager", "highlights": [_S, _S], "keywords": ["Rust"]},
                     {"name": "Graph", "description": _S, "keywords": ["Neo4j"]}],
        "education": [{"institution": "State University", "studyType": "BSc",
                       "area": "Computer Science", "courses": ["Algorithms", "Databases"]},
                      {"institution": "City College", "studyType": "AS", "area": "Physics"}],
        "skills": [{"name": "Languages", "keywords": ["Go", "Python", "Rust"]},
                   {"name": "Platforms", "keywords": ["Kubernetes", "Kafka", "Postgres"]}],
        "certificates": [{"name": "CKA", "issuer": "Cloudy Org", "date": "2021-05"},
                         {"name": "AWS SAA", "issuer": "Amazon Group", "date": "2020-03"}],
        "languages": [{"language": "Spanish", "fluency": "Professional"}],
    }
    second: dict[str, object] = {
        "basics": {k: v for k, v in basics.items() if k != "label"},
        "work": [{"name": "Acme", "position": "Engineer", "startDate": "2020-01",
                  "highlights": [_S]},
                 {"name": "Umbrella Group", "position": "Engineer", "startDate": "2019",
                  "summary": _S}],
        "projects": [{"name": "Ledger", "highlights": [_L]}],
        "awards": [{"title": "Top paper", "awarder": "PyCon", "date": "2019", "summary": _S},
                   {"title": "Hackathon", "awarder": "Acme Group", "date": "2018"}],
        "publications": [{"name": "Streams at scale", "publisher": "ACM Press", "summary": _S}],
        "volunteer": [{"organization": "Code Camp", "position": "Mentor", "startDate": "2017",
                       "highlights": [_S]}],
        "education": [{"institution": "State University", "studyType": "BSc",
                       "area": "Computer Science"}],
        "skills": [{"name": "Languages", "keywords": ["Go", "Python"]}],
        "interests": [{"name": "Climbing", "keywords": ["bouldering"]},
                      {"name": "Chess openings"}],
    }
    return [first, second]


def _probe_block() -> str:
    """TeX that writes the font and length measurements to the log."""
    lines = [r"\par\begingroup"]
    for key, select in FONTS.items():
        lines.append(rf"{{{select}\immediate\write-1{{rtm space{key} \the\fontdimen2\font}}"
                     rf"\immediate\write-1{{rtm shrink{key} \the\fontdimen4\font}}"
                     rf"\immediate\write-1{{rtm extra{key} \the\fontdimen7\font}}"
                     rf"\immediate\write-1{{rtm lead{key} \the\baselineskip}}}}")
        lines.append(rf"\setbox0\hbox{{{select}{{}}{escape_tex(_SAMPLE)}}}"
                     rf"\immediate\write-1{{rtm sample{key} \the\wd0}}")
        for ch in CHARS:
            lines.append(rf"\setbox0\hbox{{{select}{{}}{escape_tex(ch)}}}"
                         rf"\immediate\write-1{{rtw {key} {ord(ch)} \the\wd0}}")
    lines.append(r"\immediate\write-1{rtm textwidth \the\textwidth}")
    lines.append(r"\setbox0\hbox{\normalfont\small\rtcontactsep}"
                 r"\immediate\write-1{rtm contactsep \the\wd0}")
    lines.append(r"\begin{rtitems}\item\immediate\write-1{rtm linewidth \the\linewidth}"
                 r"\end{rtitems}\endgroup")
    return "\n".join(lines) + "\n"


def calibration_sources(template: str, layout: Layout) -> list[str]:
    """The probe (the template's own page, for the fonts and the text height), then each
    synthetic resume on a page tall enough that no segment is split by a page break."""
    texts = [render_view(build_view(Resume.model_validate(data)), template=template,
                         layout=layout, engine="pdflatex") for data in _resumes()]
    begin = "\\begin{document}"
    probe = texts[0].replace("\\end{document}", _probe_block() + "\\end{document}")
    return [probe] + [t.replace(begin, "\\geometry{paperheight=100in}\n" + begin, 1)
                      for t in texts]


def _metrics(run: TexRun) -> Metrics:
    values = {k: float(v) for k, v in _VALUE.findall(run.log)}
    widths: dict[str, dict[str, float]] = {k: {} for k in FONTS}
    for key, code, width in _WIDTH.findall(run.log):
        widths[key][chr(int(code))] = float(width)
    fonts = {}
    for key, table in widths.items():
        letters = [w for c, w in table.items() if c.isalpha() and c.isascii()]
        font = FontMetrics(table, values[f"space{key}"], values[f"shrink{key}"],
                           values[f"extra{key}"], max(letters) if letters else 6.0)
        # Kerning and ligatures, on average: the sample as TeX sets it over the sum of its
        # characters (its spaces are natural in an \hbox).
        spaces = _SAMPLE.count(" ") * font.space
        font.scale = (values[f"sample{key}"] - spaces) / (font.width(_SAMPLE) - spaces)
        fonts[key] = font
    return Metrics(fonts, values["textwidth"], values["textwidth"] - values["linewidth"],
                   values["contactsep"], run.text_height_pt,
                   {k: values[f"lead{k}"] for k in FONTS})


def _samples(run: TexRun, expected: list[Event], m: Metrics) -> dict[str, list[float]]:
    """Each segment key's line-one height, from the marks of one calibration compile."""
    if [mark.kind for mark in run.marks] != [e.mark.lower() for e in expected]:
        raise RuntimeError("calibration marks do not follow the template's structure")
    out: dict[str, list[float]] = {}
    y, page = run.top_pt, 1
    for mark, event in zip(run.marks, expected, strict=True):
        if mark.page != page:
            break  # a segment split over a page break measures nothing
        if event.key:
            extra = (event.lines - 1) * m.leads[event.lead]
            out.setdefault(event.key, []).append(y - mark.y_pt - extra)
        y = mark.y_pt
    return out


def measure_template(template: str, layout: Layout, config: TexConfig) -> Metrics:
    """Compile the calibration documents and derive the template's metrics."""
    sources = calibration_sources(template, layout)
    runs = [run_tex(tex, engine="pdflatex", config=config) for tex in sources]
    metrics = _metrics(runs[0])
    samples: dict[str, list[float]] = {}
    for data, run in zip(_resumes(), runs[1:], strict=True):
        view = build_view(Resume.model_validate(data))
        for key, values in _samples(run, events(view, metrics), metrics).items():
            samples.setdefault(key, []).extend(values)
    metrics.constants = {k: statistics.median(v) for k, v in samples.items()}
    return metrics


@cache
def load_metrics(template: str, layout: Layout, config: TexConfig) -> Metrics | None:
    """The template's metrics at `layout`: from the cache, else measured and cached. None
    when the calibration fails (then the fitter measures its first compile instead); the
    failure is remembered for the process, so it costs its compiles once."""
    sources = calibration_sources(template, layout)
    key = hashlib.sha256("\n".join([VERSION, tex_version(_binary(config, "pdflatex")),
                                    *sources]).encode()).hexdigest()[:20]
    path = config.cache_dir / "calibration" / f"{template}-{key}.json"
    try:
        return _from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        metrics = measure_template(template, layout, config)
    except (CompileError, RuntimeError, KeyError, ValueError, ZeroDivisionError):
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{id(metrics)}.tmp")
    tmp.write_text(json.dumps(asdict(metrics)), encoding="utf-8")
    tmp.replace(path)  # atomic: a concurrent reader sees all of it or nothing
    return metrics


def _from_json(data: dict[str, object]) -> Metrics:
    fonts = {k: FontMetrics(**v) for k, v in data.pop("fonts").items()}  # type: ignore[attr-defined]
    return Metrics(fonts=fonts, **data)  # type: ignore[arg-type]
