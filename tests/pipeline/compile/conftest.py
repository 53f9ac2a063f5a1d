"""Fixtures for the LaTeX stage: the example resumes, a shared TeX cache, reference files.

`pytest --update-reference` rewrites tests/pipeline/compile/reference/*.tex from the templates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.compile.sandbox import TexConfig, default_cache_dir
from pipeline.jsonresume import Resume

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "resumes"
EXAMPLES = ROOT / "examples" / "resumes"
REFERENCE = Path(__file__).with_name("reference")


def resume_files() -> list[Path]:
    """The JSON Resume fixtures, plus the project's own examples (JSON or YAML) if present."""
    examples = [p for p in EXAMPLES.glob("*") if p.suffix in (".json", ".yaml", ".yml")]
    return sorted(FIXTURES.glob("*.json")) + sorted(examples)


def load_resume(path: Path) -> Resume:
    if path.suffix in (".yaml", ".yml"):
        from pipeline.inputs import load_resume as load_any  # the project's own reader

        return load_any(path)
    return Resume.model_validate(json.loads(path.read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def update_reference(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-reference"))


@pytest.fixture(scope="session")
def cache_dir() -> Path:
    # The user's cache: formats and lualatex's font cache are built once, not per test run.
    return default_cache_dir()


@pytest.fixture(scope="session")
def tex_config(cache_dir: Path) -> TexConfig:
    return TexConfig(cache_dir=cache_dir, timeout_s=30)
