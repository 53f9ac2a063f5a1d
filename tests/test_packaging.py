"""The wheel ships every file the code reads through importlib.resources: the LaTeX templates
(the top-level `latex_templates` package), pipeline/data, pipeline/prompts and pipeline/schema.

The wheel is built offline from a copy of the sources (no index, no build isolation: the
backend comes with the dev extras) and then used unpacked, so nothing is found in the working
tree by accident."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pipeline", "workers", "api", "latex_templates", "resume_tailor_client")
RESOURCE_DIRS = ("latex_templates", "pipeline/data", "pipeline/prompts", "pipeline/schema",
                 "api/static")


def _resource_files() -> list[str]:
    found = [p for folder in RESOURCE_DIRS for p in (ROOT / folder).rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    found += (ROOT / "pipeline" / "compile").glob("*.lua")  # lualatex's sandbox script
    return sorted(str(p.relative_to(ROOT)) for p in found)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    for package in PACKAGES:
        shutil.copytree(ROOT / package, source / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", "--wheel-dir", str(dist), str(source)],
        capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    (path,) = dist.glob("resume_tailor-*.whl")
    return path


def test_the_wheel_holds_every_template_and_data_file(wheel: Path) -> None:
    expected = _resource_files()
    assert [f for f in expected if f.startswith("latex_templates/") and f.endswith(".tex.j2")]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert [f for f in expected if f not in names] == []


def test_the_unpacked_wheel_finds_its_resources(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    templates = sorted(p.name.removesuffix(".tex.j2")
                       for p in (ROOT / "latex_templates").glob("*.tex.j2")
                       if not p.name.startswith("_"))
    # Every template renders (its _base.tex.j2 include resolves too), and each data file loads.
    code = f"""
import json, sys
sys.path.insert(0, {str(site)!r})
import latex_templates, pipeline
from pipeline.compile.render import list_templates, render_tex
from pipeline.jsonresume import Resume
from pipeline.providers.prompts import load_prompt
from pipeline.providers.usage import PriceTable
from pipeline.schema import schema_errors
from pipeline.taxonomy.gazetteer import load_taxonomy
resume = Resume.model_validate({{"basics": {{"name": "Ada Example"}}}})
names = [name for name, _ in list_templates()]
rendered = [name for name in names if "Ada Example" in render_tex(resume, template=name)]
print(json.dumps({{
    "files": [pipeline.__file__, latex_templates.__file__],
    "templates": names, "rendered": rendered,
    "skills": len(load_taxonomy().entries),
    "prompt": load_prompt("analyze_posting").name,
    "priced": PriceTable.shipped().price("openai", "gpt-5-mini") is not None,
    "schema": schema_errors({{"basics": {{"name": "Ada"}}}}),
}}))
"""
    ran = subprocess.run([sys.executable, "-I", "-c", code], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr[-2000:]
    found = json.loads(ran.stdout)
    assert all(Path(f).is_relative_to(site) for f in found["files"]), found["files"]
    assert found["templates"] == found["rendered"] == templates
    assert found["skills"] > 0 and found["priced"]
    assert found["prompt"] == "analyze_posting"
    assert found["schema"] == []


def test_the_wheel_ships_the_client_and_the_docs_assets(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    client = {str(p.relative_to(ROOT)) for p in (ROOT / "resume_tailor_client").iterdir()
              if p.is_file()}
    assert "resume_tailor_client/py.typed" in client and client <= names
    assert {"api/static/swagger-ui/swagger-ui-bundle.js",
            "api/static/redoc/redoc.standalone.js"} <= names
