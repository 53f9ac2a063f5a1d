"""The dependency direction, checked by parsing every module's imports:
api → workers → pipeline. pipeline/ imports no SQLAlchemy, Celery, FastAPI, api or workers and
never reads the environment; workers/ never imports api/."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "pipeline": {"sqlalchemy", "celery", "fastapi", "api", "workers", "kombu", "alembic",
                 "starlette"},
    "workers": {"api", "fastapi"},
}


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def _environment_reads(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """`os.environ`, `os.getenv`, `os.putenv`, `from os import environ/getenv`, `environ[...]`."""
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id == "os" and node.attr in {"environ", "getenv", "putenv",
                                                            "environb", "getenvb"}):
            yield node.lineno, f"os.{node.attr}"
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            for alias in node.names:
                if alias.name in {"environ", "getenv", "environb", "getenvb", "putenv"}:
                    yield node.lineno, f"from os import {alias.name}"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_import_reaches_the_wrong_way(package: str) -> None:
    modules = _modules(package)
    assert modules, f"no modules found in {package}/"
    offences = []
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, name in _imports(tree):
            if name.split(".")[0] in FORBIDDEN[package]:
                offences.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert offences == []


def test_pipeline_never_reads_the_environment() -> None:
    offences = []
    for path in _modules("pipeline"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        offences += [f"{path.relative_to(ROOT)}:{line} {what}"
                     for line, what in _environment_reads(tree)]
    assert offences == []


def test_the_checks_catch_offences() -> None:
    # The checker itself must be able to fail.
    tree = ast.parse("import os\nfrom sqlalchemy import orm\nx = os.environ['A']\n"
                     "from os import getenv\nimport workers.tasks\n")
    assert sorted(name for _, name in _imports(tree)) == ["os", "os", "sqlalchemy",
                                                          "workers.tasks"]
    assert sorted(what for _, what in _environment_reads(tree)) == ["from os import getenv",
                                                                    "os.environ"]
