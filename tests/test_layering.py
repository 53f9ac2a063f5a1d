"""The dependency direction, checked by parsing every module's imports:
api → workers → pipeline. pipeline/ imports no SQLAlchemy, Celery, FastAPI, api or workers and
never reads the environment; workers/ never imports api/; api/ imports only the workers
modules listed in `WORKERS_FOR_API` (never a Celery task module), and no route module imports
another. The client, resume_tailor_client/, stands alone: the standard library, httpx and
pydantic only."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

FORBIDDEN = {
    "pipeline": {"sqlalchemy", "celery", "fastapi", "api", "workers", "kombu", "alembic",
                 "starlette"},
    "workers": {"api", "fastapi"},
}

# The workers modules the API may import: settings, persistence, the chain builder (which
# sends tasks by name), storage, the webhook target check, the metrics (the job counters and
# the Redis readings /metrics serves). Never a Celery task module: those
# load the pipeline and register tasks, which the API process has no use for.
WORKERS_FOR_API = frozenset({
    "workers.settings",
    "workers.chain",
    "workers.storage",
    "workers.stage_times",
    "workers.db.models",
    "workers.db.session",
    "workers.db.jobs",
    "workers.db.batches",
    "workers.db.transitions",
    "workers.db.outbox",
    "workers.db.status_reads",
    "workers.webhooks.targets",
    "workers.logging",
    "workers.tenants",
    "workers.db.api_keys",
    "workers.db.purges",
    "workers.retention",
    "workers.metrics",
    "workers.broker_metrics",
})
TASK_MODULES = ("workers.tasks", "workers.webhooks.tasks", "workers.reaper",
                "workers.retention_task")


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def _modules_imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Like `_imports`, with `from package import module` resolved to `package.module` (when
    that names a module in this repository), so `from workers import chain` is workers.chain."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                path = ROOT.joinpath(*name.split("."))
                is_module = path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()
                yield node.lineno, name if is_module else node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def _is_task_module(name: str) -> bool:
    return any(name == task or name.startswith(f"{task}.") for task in TASK_MODULES)


def _api_offences(tree: ast.AST, where: str) -> list[str]:
    """Imports of workers modules outside `WORKERS_FOR_API`, and of one route module by
    another (`where` is the importing module's dotted name)."""
    offences = []
    for line, name in _modules_imported(tree):
        if name.split(".")[0] == "workers" and name not in WORKERS_FOR_API:
            offences.append(f"{where}:{line} imports {name}")
        if (where.startswith("api.routes.") and name.startswith("api.routes.")
                and name != where):
            offences.append(f"{where}:{line} imports the route module {name}")
    return offences


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


def test_api_imports_only_the_listed_workers_modules() -> None:
    assert not [name for name in WORKERS_FOR_API if _is_task_module(name)]
    offences = []
    for path in _modules("api"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        offences += _api_offences(tree, where)
    assert offences == []


def test_the_api_loads_no_task_module() -> None:
    # Transitively: building the app must not pull a task module in through a listed one.
    probe = ("import sys, api.app; api.app.create_app(); "
             "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('workers.'))))")
    loaded = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.split()
    assert "workers.chain" in loaded  # the probe did load the API's workers modules
    assert [name for name in loaded if _is_task_module(name)] == []


# What resume_tailor_client may import besides the standard library and itself: it is used
# apart from the service, so nothing of api/, workers/ or pipeline/ (nor their dependencies).
CLIENT_DEPENDENCIES = frozenset({"httpx", "pydantic"})


def test_the_client_imports_only_httpx_pydantic_and_the_standard_library() -> None:
    modules = _modules("resume_tailor_client")
    assert modules
    allowed = CLIENT_DEPENDENCIES | set(sys.stdlib_module_names) | {"resume_tailor_client"}
    offences = []
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        offences += [f"{path.relative_to(ROOT)}:{line} imports {name}"
                     for line, name in _imports(tree) if name.split(".")[0] not in allowed]
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
    api_tree = ast.parse("from workers import chain, webhooks\nfrom workers.webhooks import tasks\n"
                         "import workers.tasks.upload\nfrom workers.settings import Settings\n"
                         "from api.routes import batches\n")
    assert _api_offences(api_tree, "api.routes.jobs") == [
        "api.routes.jobs:1 imports workers.webhooks",
        "api.routes.jobs:2 imports workers.webhooks.tasks",
        "api.routes.jobs:3 imports workers.tasks.upload",
        "api.routes.jobs:5 imports the route module api.routes.batches",
    ]
    assert _is_task_module("workers.tasks.upload") and not _is_task_module("workers.taskset")
