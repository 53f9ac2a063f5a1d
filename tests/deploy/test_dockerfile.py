"""The Dockerfile, offline (no Docker engine here; `make lint` runs hadolint on it): a pinned
base, non-root final images, TeX only where compile runs, and the commands and health checks
the compose file runs (which tests/deploy/test_compose.py starts as processes)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.deploy.composefile import healthcheck_argv, load_compose

ROOT = Path(__file__).resolve().parents[2]
FINAL = ("api", "worker", "compile")


def _stages() -> dict[str, list[str]]:
    """Stage name → its instructions, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", (ROOT / "Dockerfile").read_text())
    stages: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if match := re.fullmatch(r"FROM (\S+) AS (\S+)", line):
            current = stages.setdefault(match[2], [line])
        elif line and not line.startswith("#"):
            current.append(line)
    return stages


def _json_after(stage: list[str], keyword: str) -> list[str]:
    (line,) = [line for line in stage if line.startswith(keyword)]
    argv: list[str] = json.loads(line[line.index("["):])
    return argv


def test_bases_are_pinned_to_an_exact_python_release() -> None:
    for stage in _stages().values():
        image = stage[0].split()[1]
        if image in _stages():
            continue  # built on an earlier stage
        assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", image), image


def test_final_images_run_unprivileged_with_a_health_check() -> None:
    stages = _stages()
    for name in FINAL:
        users = [line for line in stages[name] if line.startswith("USER ")]
        assert users and users[-1] == "USER 10001:10001", name
        assert any(line.startswith("HEALTHCHECK ") for line in stages[name]), name
    assert any("install-tex.sh" in line for line in stages["compile"])
    for name in ("runtime", "api", "worker"):
        assert not any("install-tex.sh" in line or "apt-get" in line for line in stages[name])


def test_images_run_what_compose_runs() -> None:
    stages = _stages()
    services = load_compose()["services"]
    assert _json_after(stages["api"], "CMD") == services["api"]["command"]
    assert _json_after(stages["api"], "HEALTHCHECK") == healthcheck_argv(services["api"])
    compile_command = services["worker-compile"]["command"]
    image_command = _json_after(stages["compile"], "CMD")
    # The image's default names no node (celery@%h, what its HEALTHCHECK pings); compose
    # names each pool's node and pings that name.
    node = compile_command.index("-n")
    assert image_command == compile_command[:node] + compile_command[node + 2:]
    worker_queues = _json_after(stages["worker"], "CMD")[5].split(",")
    assert sorted(worker_queues) == ["parse", "rewrite", "score", "upload", "webhooks"]
