"""The `resume-tailor` command line: exit codes, one-line errors, JSON shapes, atomic output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.cli.commands import _user_errors, app, write_atomically
from pipeline.compile.parseback import extract_text, normalise
from pipeline.errors import CompileError, InvalidInput
from pipeline.schema import schema_errors

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
RESUME = str(EXAMPLES / "resumes" / "senior-backend.json")
POSTING = str(EXAMPLES / "postings" / "backend-engineer.md")
OLDER = Path(__file__).resolve().parents[2] / "fixtures" / "older-layout" / "priya-nair-0.x.json"
runner = CliRunner()


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from pipeline.cli.commands import app\n"
        "try:\n    app(['--help'], prog_name='resume-tailor')\nexcept SystemExit:\n    pass\n"
        "heavy = {'spacy', 'jinja2', 'pypdf', 'pydantic', 'jsonschema', 'rich.table',\n"
        "         'pipeline.parse', 'pipeline.score', 'pipeline.compile', 'pipeline.rewrite'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert "Usage: resume-tailor" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_analyze_json_shape() -> None:
    result = runner.invoke(app, ["analyze", POSTING, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"].startswith("Senior Backend Engineer")
    for key in ("hard_skills", "soft_skills"):
        assert isinstance(data[key], list) and data[key]
        for skill in data[key]:
            assert {"name", "surface_forms", "importance", "required"} <= skill.keys()
            assert 0 <= skill["importance"] <= 1 and isinstance(skill["required"], bool)
    names = {s["name"] for s in data["hard_skills"]}
    assert {"PostgreSQL", "Python", "Kubernetes"} <= names


def test_analyze_reads_stdin_and_prints_tables() -> None:
    result = runner.invoke(app, ["analyze", "-"], input="Data Engineer\n\nRequirements\n"
                                                        "- Python and SQL\n- Airflow\n")
    assert result.exit_code == 0, result.output
    assert "Hard skills" in result.stdout and "Airflow" in result.stdout


def test_match_json_and_table() -> None:
    result = runner.invoke(app, ["match", RESUME, POSTING, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert 0 <= report["match_rate"] <= report["ceiling"] <= 1
    assert {c["name"] for c in report["breakdown"]} >= {"hard_skills", "title"}
    postgres = next(s for s in report["skills"] if s["name"] == "PostgreSQL")
    assert postgres["evidence"] and "Postgres" in postgres["resume_forms"]
    table = runner.invoke(app, ["match", RESUME, POSTING])
    assert table.exit_code == 0 and "Match rate" in table.stdout and "ceiling" in table.stdout


def test_match_json_and_table_name_each_skill_state() -> None:
    result = runner.invoke(app, ["match", RESUME, POSTING, "--json"])
    assert result.exit_code == 0, result.output
    states = {s["name"]: s["state"] for s in json.loads(result.stdout)["skills"]}
    assert set(states.values()) == {"shown", "evidenced", "absent"}
    # "Postgres" in three places, "Mentored 4 engineers", Grafana for Monitoring
    assert states["PostgreSQL"] == states["mentoring"] == states["Monitoring"] == "evidenced"
    assert states["Python"] == "shown" and states["gRPC"] == "absent"
    table = runner.invoke(app, ["match", RESUME, POSTING], env={"COLUMNS": "200"})
    row = next(line for line in table.stdout.splitlines() if "PostgreSQL" in line)
    assert "evidenced" in row and "missing" not in row


def test_rank_files_best_first() -> None:
    postings = sorted(str(p) for p in (EXAMPLES / "postings").iterdir())
    result = runner.invoke(app, ["rank", RESUME, *postings, "--json"])
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.stdout)
    assert len(ranked) == len(postings)
    assert all({"id", "fit", "fit_parts", "match_rate"} <= set(r) for r in ranked)
    assert set(ranked[0]["fit_parts"]) == {"coverage", "centrality", "role", "seniority", "gaps"}
    assert ranked[0]["id"] == "backend-engineer.md"
    fits = [r["fit"] for r in ranked]
    assert fits == sorted(fits, reverse=True)  # sorted by fit, not by match rate
    # the nurse posting meets a larger share of its asks than some engineering ones, yet
    # fits this backend engineer worst
    assert ranked[-1]["id"] == "registered-nurse.txt"
    rates = {r["id"]: r["match_rate"] for r in ranked}
    assert rates["registered-nurse.txt"] > min(rates.values())


def test_rank_jsonl(tmp_path: Path) -> None:
    lines = [json.dumps({"id": pid, "text": (EXAMPLES / "postings" / name).read_text()})
             for pid, name in (("nurse", "registered-nurse.txt"), ("be", "backend-engineer.md"),
                               ("fe", "frontend-developer.html"))]
    path = tmp_path / "postings.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["rank", RESUME, str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)][0] == "be"
    table = runner.invoke(app, ["rank", RESUME, str(path)])
    assert table.exit_code == 0 and "Postings by fit" in table.stdout
    assert "fit" in table.stdout and "match" in table.stdout


def _error(args: list[str], input: str | None = None) -> str:
    result = runner.invoke(app, args, input=input)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr.strip()


def test_bad_inputs_exit_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"work": [{}, {}, {"startDate": "last spring"}]}))
    message = _error(["match", str(bad), POSTING])
    assert message.startswith("error: work[2].startDate: not a date")
    assert "\n" not in message
    assert "file not found" in _error(["analyze", str(tmp_path / "nope.md")])
    assert "posting: empty" in _error(["analyze", "-"], input="   \n")
    binary = tmp_path / "p.txt"
    binary.write_bytes(b"\x00\x01\x02PDF")
    assert "posting: binary" in _error(["analyze", str(binary)])
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text('{"id": "a", "text": "Python developer"}\n{"id": "b"}\n')
    assert "p.jsonl line 2" in _error(["rank", RESUME, str(jsonl)])


def test_bad_arguments_exit_2() -> None:
    result = runner.invoke(app, ["tailor", RESUME, POSTING])  # no -o
    assert result.exit_code == 2 and "'-o' / '--output'" in result.output
    result = runner.invoke(app, ["analyze", POSTING, "--no-such-flag"])
    assert result.exit_code == 2 and "--no-such-flag" in result.output


def test_unknown_template_and_provider(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert "template" in _error(["tailor", RESUME, POSTING, "-o", str(out), "--template", "x"])
    assert "provider" in _error(["tailor", RESUME, POSTING, "-o", str(out), "--provider", "gpt"])
    base = ["tailor", RESUME, POSTING, "-o", str(out)]
    assert "RT_PROVIDER_CHAIN" in _error([*base, "--provider-chain", "openai,bard"])
    # No key and no base URL among the options (nor in the environment they fall back to).
    unset = {"OPENAI_API_KEY": None, "OPENAI_BASE_URL": None}
    result = runner.invoke(app, [*base, "--provider", "openai"], env=unset)
    assert result.exit_code == 2 and "OPENAI_API_KEY" in result.stderr
    assert not out.exists()


def test_templates_one_line_each() -> None:
    result = runner.invoke(app, ["templates"])
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) >= 3
    assert {line.split()[0] for line in lines} >= {"classic"}


def test_tailor_writes_all_outputs(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = runner.invoke(app, ["tailor", RESUME, POSTING, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "report.json", "resume.pdf", "resume.tex", "tailored.json"]
    assert (out / "resume.pdf").read_bytes().startswith(b"%PDF")
    assert "\\documentclass" in (out / "resume.tex").read_text()
    tailored = json.loads((out / "tailored.json").read_text())
    assert schema_errors(tailored) == []
    assert tailored["basics"]["name"] == "Daniel Okafor"
    report = json.loads((out / "report.json").read_text())
    assert report["pages"] == 1
    assert report["after"]["match_rate"] >= report["before"]["match_rate"]
    assert set(report["timings_ms"]) >= {"parse", "score", "rewrite", "compile", "total"}
    summary = result.stdout
    assert "Match rate" in summary and "→" in summary and "guard rejections: 0" in summary
    assert "PostgreSQL" in summary  # matched after tailoring
    leftovers = [p for p in (tmp_path / "demo").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_tailor_reads_the_older_layout_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "older"
    result = runner.invoke(app, ["tailor", str(OLDER), POSTING, "-o", str(out)])
    assert result.exit_code == 0, result.output
    employers = [job["company"] for job in json.loads(OLDER.read_text())["work"]]
    assert len(employers) == 8
    page = normalise(extract_text((out / "resume.pdf").read_bytes()))
    assert [e for e in employers if normalise(e) not in page] == []  # every employer shown
    tailored = json.loads((out / "tailored.json").read_text())
    assert schema_errors(tailored) == []
    assert [job["name"] for job in tailored["work"]] == employers
    assert not any({"company", "website"} & job.keys() for job in tailored["work"])
    assert tailored["basics"]["image"] and "picture" not in tailored["basics"]
    report = json.loads((out / "report.json").read_text())
    notes = report["input_notes"]
    assert "work[0].company → work[0].name" in notes["mapped_fields"]
    assert "education[0].gpa → education[0].score" in notes["mapped_fields"]
    assert {"basics.image", "basics.location.address", "work[0].url", "references",
            "hobbyProjects"} <= set(notes["not_rendered"])
    assert report["parse_back"]["ok"]
    summary = " ".join(result.stdout.split())  # as printed, whatever the terminal's width
    assert summary.count("older JSON Resume layout") == 1
    assert "work[].company → name (8)" in summary
    assert "not shown in the PDF" in summary and "references" in summary


def test_tailor_of_a_1_0_0_resume_notes_no_mapping(tmp_path: Path) -> None:
    data = json.loads(Path(RESUME).read_text())
    data["references"] = [{"name": "Sam", "reference": "Great colleague."}]
    resume = tmp_path / "cv.json"
    resume.write_text(json.dumps(data))
    result = runner.invoke(app, ["tailor", str(resume), POSTING, "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    notes = json.loads((tmp_path / "out" / "report.json").read_text())["input_notes"]
    assert notes["mapped_fields"] == [] and "references" in notes["not_rendered"]
    assert "older JSON Resume layout" not in result.stdout


@pytest.mark.parametrize("name", [None, "", "   "])
def test_tailor_refuses_a_resume_without_a_name(tmp_path: Path, name: str | None) -> None:
    data = json.loads(Path(RESUME).read_text())
    if name is None:
        del data["basics"]["name"]
    else:
        data["basics"]["name"] = name
    resume = tmp_path / "cv.json"
    resume.write_text(json.dumps(data))
    out = tmp_path / "out"
    assert _error(["tailor", str(resume), POSTING, "-o", str(out)]).startswith(
        "error: basics.name: missing")
    assert not out.exists()


def test_write_atomically_all_or_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    (out / "resume.pdf").write_bytes(b"old")
    with pytest.raises(InvalidInput) as info:
        # the second file cannot be written (its directory does not exist): nothing moves in
        write_atomically(out, {"resume.pdf": b"new", "missing/dir.json": b"{}"})
    assert info.value.field == "output"
    assert (out / "resume.pdf").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt", "resume.pdf"]  # no staging
    written = write_atomically(out, {"resume.pdf": b"new"})
    assert written == [out / "resume.pdf"] and (out / "keep.txt").read_text() == "mine"
    assert (out / "resume.pdf").read_bytes() == b"new"
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(InvalidInput, match="not a directory") as info:
        write_atomically(afile, {"a": b""})
    assert info.value.field == "output"


def test_write_atomically_into_a_new_directory_and_cleans_up(tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    assert write_atomically(out, {"a.json": b"{}"}) == [out / "a.json"]
    assert [p.name for p in out.iterdir()] == ["a.json"]
    failed = tmp_path / "failed"
    with pytest.raises(InvalidInput):
        write_atomically(failed, {"missing/dir.json": b"{}"})
    assert not failed.exists()  # made by the call, removed with its failure


def test_write_atomically_onto_a_mount_point(tmp_path: Path) -> None:
    """`-o` naming a mount point: renames stay inside it (a private mount namespace, so the
    machine's mounts are untouched)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    code = ("import sys; from pathlib import Path; "
            "from pipeline.cli.commands import write_atomically; "
            "print(write_atomically(Path(sys.argv[1]), {'resume.pdf': b'%PDF'}))")
    script = (f'mount -t tmpfs -o size=1m none "$1" && {sys.executable} -c "$2" "$1" '
              '&& ls -A "$1"')
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("no private mount namespaces here")
    out = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", str(mount), code],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] == "resume.pdf"  # and no staging directory left


def test_non_regular_input_is_named(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tailor", "/dev/zero", POSTING, "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "resume: not a regular file" in result.output
    result = runner.invoke(app, ["analyze", "/dev/zero"])
    assert result.exit_code == 2 and "posting: not a regular file" in result.output


def test_markup_in_user_text_prints_literally(tmp_path: Path) -> None:
    posting = tmp_path / "p.md"
    posting.write_text("# Engineer [/] [/bold] [link=https://evil.example]click[/link]\n\n"
                       "Requirements\n- Python and SQL\n", encoding="utf-8")
    for args in (["analyze", str(posting)], ["match", RESUME, str(posting)],
                 ["rank", RESUME, str(posting)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "\x1b]8;" not in repr(result.stdout)  # no terminal hyperlink
    analyzed = runner.invoke(app, ["analyze", str(posting)])
    assert "[link=https://evil.example]click[/link]" in analyzed.stdout
    ranked = runner.invoke(app, ["rank", RESUME, str(posting)])
    assert "[/bold]" in ranked.stdout


def _mini_app(error: Exception) -> typer.Typer:
    mini = typer.Typer()

    @mini.command()
    @_user_errors
    def run() -> None:
        raise error

    @mini.command()
    def other() -> None:  # a second command keeps Typer from collapsing to one
        pass

    return mini


def test_compile_error_exits_1_with_log_tail() -> None:
    log = "\n".join(f"line {i}" for i in range(40)) + "\n! Undefined control sequence."
    result = runner.invoke(_mini_app(CompileError("pdflatex failed", log=log)), ["run"])
    assert result.exit_code == 1
    assert "error: the PDF did not compile: pdflatex failed" in result.stderr
    assert "! Undefined control sequence." in result.stderr
    assert "line 0\n" not in result.stderr  # only the tail


def test_unexpected_errors_keep_their_traceback() -> None:
    result = runner.invoke(_mini_app(RuntimeError("bug")), ["run"])
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)


def test_a_field_over_its_limit_exits_2_naming_it(tmp_path: Path) -> None:
    resume = tmp_path / "long.json"
    resume.write_text(json.dumps({"basics": {"name": "x" * 10_000}}), encoding="utf-8")
    result = runner.invoke(app, ["match", str(resume), POSTING])
    assert result.exit_code == 2
    assert "basics.name: longer than 200 characters" in result.output


def _console_script(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`resume-tailor` as the console script runs it (`main`, which leaves by os._exit)."""
    code = ("import sys; from pipeline.cli.commands import main; "
            "sys.argv[0] = 'resume-tailor'; main()")
    return subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True,
                          text=True, check=False, timeout=120)


def test_the_console_script_keeps_exit_statuses_and_output(tmp_path: Path) -> None:
    done = _console_script("analyze", POSTING, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"].startswith("Senior Backend Engineer")  # all of it
    postings = tmp_path / "postings.jsonl"
    postings.write_text("".join(json.dumps({"id": f"p{i}", "text": Path(POSTING).read_text()})
                                + "\n" for i in range(60)), encoding="utf-8")
    done = _console_script("rank", RESUME, str(postings), "--json")  # the process pool
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 60
    done = _console_script("analyze", "-", stdin=" \n")
    assert done.returncode == 2 and "posting" in done.stderr  # a user's error
    done = _console_script("no-such-command")
    assert done.returncode == 2 and "No such command" in done.stderr
    assert _console_script("--help").returncode == 0
