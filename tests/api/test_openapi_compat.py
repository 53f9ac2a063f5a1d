"""The OpenAPI document against its committed snapshot, docs/openapi.json.

Any difference fails until the snapshot is refreshed (`pytest tests/api/test_openapi_compat.py
--update-openapi`), so every change to the API shows in review. A breaking change (see
tests/api/openapi_compat.py) is refused, by the refresh and by this test, unless CHANGELOG.md's
top section names it (`JobOut.state`, `GET /v1/jobs/{job_id}`); and that section must be the
document's `info.version`. In-process: no services needed."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from tests.api.openapi_compat import Breaking, breaking_changes, differences

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "docs" / "openapi.json"
CHANGELOG = ROOT / "CHANGELOG.md"


def serialised(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def top_section(changelog: str) -> tuple[str, str]:
    """(heading, text) of the newest `## ` section."""
    sections = re.split(r"^## ", changelog, flags=re.MULTILINE)
    assert len(sections) > 1, "CHANGELOG.md has no `## ` section"
    heading, _, text = sections[1].partition("\n")
    return heading.strip(), text


def unacknowledged(changes: list[Breaking]) -> list[Breaking]:
    _, text = top_section(CHANGELOG.read_text())
    return [change for change in changes if change.subject not in text]


@pytest.fixture(scope="module")
def current() -> dict[str, Any]:
    return json.loads(serialised(create_app().openapi()))  # as served: JSON types only


def test_the_snapshot_is_the_current_document(
    current: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    old = json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {}
    breaking = breaking_changes(old, current) if old else []
    missing = unacknowledged(breaking)
    if request.config.getoption("--update-openapi"):
        assert missing == [], (
            "breaking changes; name each in CHANGELOG.md's top section (or keep the API "
            "compatible and put the change under /v2):\n" + "\n".join(map(str, missing)))
        SNAPSHOT.write_text(serialised(current))
        return
    assert missing == [], (
        "breaking changes not named in CHANGELOG.md's top section:\n"
        + "\n".join(map(str, missing)))
    changed = list(differences(old, current))
    assert changed == [], (
        "the OpenAPI document changed: review, then run `pytest "
        "tests/api/test_openapi_compat.py --update-openapi`:\n" + "\n".join(changed[:40]))


def test_the_changelog_names_the_documents_version(current: dict[str, Any]) -> None:
    heading, text = top_section(CHANGELOG.read_text())
    assert current["info"]["version"] in heading.split(), heading
    assert text.strip()


def _schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = document["components"]["schemas"][name]
    return schema


def test_breaking_changes_are_found(current: dict[str, Any]) -> None:
    new = copy.deepcopy(current)
    del new["paths"]["/v1/jobs/{job_id}"]["delete"]
    del _schema(new, "JobOut")["properties"]["state"]
    _schema(new, "BatchItemOut")["properties"]["index"] = {"type": "string"}
    _schema(new, "JobCreate")["required"].append("webhook_url")
    del new["webhooks"]["job.failed"]
    del new["paths"]["/v1/jobs/{job_id}"]["get"]["security"]  # anonymous before, say
    new["paths"]["/readyz"]["get"]["security"] = [{"ApiKey": ["admin"]}]  # no longer optional
    assert {str(change) for change in breaking_changes(new, current)} >= {
        "GET /v1/jobs/{job_id}: credentials newly required"}
    assert {str(change) for change in breaking_changes(current, new)} == {
        "GET /readyz: credentials newly required",
        "DELETE /v1/jobs/{job_id}: removed",
        "JobOut.state: field removed",
        "BatchItemOut.index: type integer → string",
        "JobCreate.webhook_url: newly required in a request",
        "webhook POST job.failed: removed",
    }


def test_additions_are_not_breaking(current: dict[str, Any]) -> None:
    new = copy.deepcopy(current)
    new["paths"]["/v1/templates"] = {"get": {"responses": {}}}
    _schema(new, "JobOut")["properties"]["queue_position"] = {"type": "integer"}
    _schema(new, "JobCreate")["properties"]["locale"] = {"type": "string"}
    _schema(new, "SkillState")["enum"].append("inferred")  # answers' enums are open
    assert breaking_changes(current, new) == []
    # A value a request could send, no longer accepted, is breaking.
    provider = _schema(new, "JobCreate")["properties"]["provider"]
    provider["enum"] = [v for v in provider["enum"] if v != "anthropic"]
    assert [str(c) for c in breaking_changes(current, new)] == [
        "JobCreate.provider: no longer accepts ['anthropic']"]
