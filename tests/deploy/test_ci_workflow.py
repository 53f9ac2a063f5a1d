"""The CI workflow, offline: GitHub's workflow schema, and that it runs the README's test
command with the servers the tests expect and builds every image target."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def test_workflow_follows_githubs_schema() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema",
         "vendor.github-workflows", str(WORKFLOW)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_runs_make_test_with_the_servers_and_builds_each_image() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as a boolean
    assert {"push", "pull_request"} <= set(triggers)
    test = workflow["jobs"]["test"]
    assert {"postgres", "redis", "rabbitmq"} <= set(test["services"])
    assert any(step.get("run", "").startswith("make test") for step in test["steps"])
    # The default URLs of workers/settings.py and tests/service_fixtures.py.
    ports = {port for service in test["services"].values() for port in service["ports"]}
    assert {"5432:5432", "6379:6379", "5672:5672"} <= ports
    assert test["services"]["postgres"]["env"]["POSTGRES_DB"] == "test"
    targets = set(re.findall(r"^FROM \S+ AS (\S+)$", (ROOT / "Dockerfile").read_text(), re.M))
    built = set(workflow["jobs"]["images"]["strategy"]["matrix"]["target"])
    assert built == targets - {"build", "runtime"}
