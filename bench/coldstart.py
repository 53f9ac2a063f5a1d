"""Whole-process times of the command line from a cold start (printed, not asserted).

    python -m bench.coldstart [--runs 7] [--rendercv PATH/bin/rendercv] [--rank-count 500]

Median of RUNS fresh processes each for `resume-tailor --help`, `analyze`, `tailor` and `rank`
of RANK_COUNT postings (SkillSpan's train and dev postings from the shared data folder, cycled
with a reference line so no two texts are equal; the example postings without it), with the
CPU seconds they used beside the wall time, since the machine is shared. The commands take turns
within each round, so a busy spell slows all of them alike.

With --rendercv, the same resume is also rendered by RenderCV (a CV-from-YAML tool that
compiles LaTeX to PDF, https://rendercv.com; install it into its own venv, e.g.
`python3 -m venv /tmp/rcv && /tmp/rcv/bin/pip install rendercv==1.18 "click<8.2" "typer<0.16"
pyyaml`): the JSON Resume is converted to RenderCV's YAML (name, email, phone, experience,
education, skills) and rendered with its defaults (PDF, Markdown, HTML, PNG) and as a PDF only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
RESUME = ROOT / "examples" / "resumes" / "senior-backend.json"
POSTING = ROOT / "examples" / "postings" / "backend-engineer.md"


def command_line() -> list[str]:
    """The installed `resume-tailor` beside this interpreter, as a user would start it."""
    script = Path(sys.executable).with_name("resume-tailor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "pipeline.cli.commands"]


def run_once(argv: list[str], cwd: Path, output: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children) of one run. OUTPUT, a folder
    the command writes, is removed first and must hold a PDF afterwards (RenderCV reports bad
    input on standard output and still exits 0)."""
    if output is not None:
        shutil.rmtree(output, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or output is not None and not any(output.glob("*.pdf")):
        tail = done.stdout.decode(errors="replace").strip().splitlines()[-8:]
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode} without its output:\n"
                           + "\n".join(tail))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


# ---------------------------------------------------------------- inputs


def _texts(data: Path) -> list[str]:
    folder = data / "skillspan"
    texts = []
    for split in ("train", "dev"):
        path = folder / f"skillspan_{split}.postings.jsonl"
        if path.is_file():
            with path.open(encoding="utf-8") as stream:
                texts += [json.loads(line)["text"] for line in stream if line.strip()]
    return texts


def write_rank_input(path: Path, count: int, data: Path) -> str:
    """A JSONL of COUNT postings; says where they came from."""
    texts = _texts(data)
    source = f"SkillSpan train+dev ({len(texts)} distinct postings, cycled)"
    if not texts:
        texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples" / "postings")
                                                               .glob("*.md"))]
        source = f"examples/postings/*.md ({len(texts)}, cycled; no SkillSpan under {data})"
    with path.open("w", encoding="utf-8") as stream:
        for number in range(count):
            text = texts[number % len(texts)] + f"\n\nReference: RT-{number}\n"
            stream.write(json.dumps({"id": f"p{number}", "text": text}) + "\n")
    return source


def _date(value: str | None) -> str | None:
    return value[:10] if value else None


def _entries(items: list[dict[str, Any]], mapping: dict[str, str]) -> Iterator[dict[str, Any]]:
    for item in items:
        entry = {target: item[source] for target, source in mapping.items() if item.get(source)}
        entry["start_date"] = _date(item.get("startDate"))
        entry["end_date"] = _date(item.get("endDate")) or "present"
        if item.get("highlights"):
            entry["highlights"] = list(item["highlights"])
        yield {k: v for k, v in entry.items() if v is not None}


def rendercv_yaml(resume: dict[str, Any]) -> dict[str, Any]:
    """The parts of a JSON Resume that RenderCV's classic theme shows alike: name, contacts,
    experience, education and skills."""
    basics = resume.get("basics", {})
    sections: dict[str, Any] = {
        "experience": list(_entries(resume.get("work", []),
                                    {"company": "name", "position": "position"})),
        "education": list(_entries(resume.get("education", []),
                                   {"institution": "institution", "area": "area",
                                    "degree": "studyType"})),
        "skills": [{"label": group["name"], "details": ", ".join(group.get("keywords", []))}
                   for group in resume.get("skills", []) if group.get("name")],
    }
    cv: dict[str, Any] = {"name": basics.get("name", "")}
    if basics.get("email"):
        cv["email"] = basics["email"]
    if basics.get("phone"):
        # RenderCV accepts only numbers that exist; the examples use fictional 555 ones, so
        # keep the line number under an existing area code and exchange (Chicago's)
        digits = "".join(ch for ch in basics["phone"] if ch.isdigit())
        cv["phone"] = f"+1312614{digits[-4:]}"
    cv["sections"] = {k: v for k, v in sections.items() if v}
    return {"cv": cv}


# ---------------------------------------------------------------- benchmark


def main() -> None:
    parser = argparse.ArgumentParser(description="Cold-start times of the command line")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rendercv", type=Path, help="RenderCV's executable (in its own venv)")
    parser.add_argument("--rank-count", type=int, default=500)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="the shared data folder holding skillspan/ (default ../shared/data)")
    args = parser.parse_args()
    cli = command_line()
    with tempfile.TemporaryDirectory(prefix="rt-coldstart-") as tmp:
        work = Path(tmp)
        source = write_rank_input(work / "postings.jsonl", args.rank_count, args.data)
        commands: dict[str, list[str]] = {
            "--help": [*cli, "--help"],
            "analyze": [*cli, "analyze", str(POSTING)],
            "tailor": [*cli, "tailor", str(RESUME), str(POSTING), "-o", str(work / "out")],
            f"rank ({args.rank_count})": [*cli, "rank", str(RESUME), str(work / "postings.jsonl"),
                                          "--json"],
        }
        if args.rendercv is not None:
            import yaml

            resume = json.loads(RESUME.read_text(encoding="utf-8"))
            cv = work / "rendercv" / "Resume_CV.yaml"
            cv.parent.mkdir()
            cv.write_text(yaml.safe_dump(rendercv_yaml(resume), sort_keys=False,
                                         allow_unicode=True), encoding="utf-8")
            rendercv = str(args.rendercv)
            commands["rendercv render"] = [rendercv, "render", str(cv), "-o", "out"]
            commands["rendercv render (PDF only)"] = [
                rendercv, "render", str(cv), "-o", "out-pdf", "-nomd", "-nohtml", "-nopng"]
        cwd = {name: work / "rendercv" if name.startswith("rendercv") else ROOT
               for name in commands}
        outputs = {"tailor": work / "out", "rendercv render": work / "rendercv" / "out",
                   "rendercv render (PDF only)": work / "rendercv" / "out-pdf"}
        for name, argv in commands.items():  # one untimed run each: files cached, errors early
            run_once(argv, cwd[name], outputs.get(name))
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                times[name].append(run_once(argv, cwd[name], outputs.get(name)))
    print(f"{len(os.sched_getaffinity(0))} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}; median of {args.runs} runs each, taking turns")
    print(f"rank input: {source}")
    targets = {"--help": "< 0.3 s", "analyze": "< 0.5 s",
               f"rank ({args.rank_count})": "≤ 2.5 s for 500"}
    print(f"{'command':<30}{'wall s':>9}{'CPU s':>9}   target (wall)")
    medians = {}
    for name, runs in times.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        medians[name] = (wall, cpu)
        print(f"{name:<30}{wall:9.3f}{cpu:9.3f}   {targets.get(name, '')}")
    if "rendercv render" in medians:
        for other in ("rendercv render", "rendercv render (PDF only)"):
            wall_ratio = medians["tailor"][0] / medians[other][0]
            cpu_ratio = medians["tailor"][1] / medians[other][1]
            print(f"tailor ÷ {other}: {wall_ratio:.2f} wall, {cpu_ratio:.2f} CPU "
                  "(target ≤ 0.8 against the default render)")
    else:
        print("RenderCV not measured (pass --rendercv PATH/bin/rendercv)")


if __name__ == "__main__":
    main()
