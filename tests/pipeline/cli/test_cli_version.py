"""`resume-tailor --version`: the installed package's version, without loading the pipeline."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version

from typer.testing import CliRunner

from pipeline.cli.commands import app


def test_version_prints_the_installed_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert result.output == f"resume-tailor {version('resume-tailor')}\n"


def test_version_wins_over_a_command_and_imports_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from pipeline.cli.commands import app\n"
        "try:\n    app(['--version', 'analyze', 'x.md'], prog_name='resume-tailor')\n"
        "except SystemExit as exc:\n    print('exit', exc.code)\n"
        "heavy = {'spacy', 'jinja2', 'pypdf', 'pydantic', 'jsonschema', 'rich.table',\n"
        "         'pipeline.parse', 'pipeline.score', 'pipeline.compile', 'pipeline.rewrite'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.splitlines() == [
        f"resume-tailor {version('resume-tailor')}", "exit 0", "[]",
    ]
