"""The job's `documents` field: validated at submit, each error naming the field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.schemas import JobCreate
from tests.api.tokens import app_client, bearer

BODY: dict[str, Any] = {
    "resume": {"basics": {"name": "Ada Lovelace"},
               "work": [{"name": "Analytical Engines", "startDate": "2019-03"}]},
    "posting": "Backend engineer. Python, PostgreSQL.",
}


@pytest.fixture
def client() -> Iterator[TestClient]:
    with app_client(headers=bearer()) as test_client:
        yield test_client


def test_documents_default_to_the_resume() -> None:
    assert JobCreate.model_validate(BODY).documents == ["resume"]
    both = JobCreate.model_validate({**BODY, "documents": ["resume", "letter"]})
    assert both.documents == ["resume", "letter"]


@pytest.mark.parametrize(("documents", "field"), [
    (["resume", "poem"], "documents[1]"),
    (["letter"], "documents"),
    (["resume", "resume"], "documents"),
    ([], "documents"),
    ("resume", "documents"),
])
def test_bad_documents_are_refused_naming_the_field(
        client: TestClient, documents: object, field: str) -> None:
    response = client.post("/v1/jobs", json={**BODY, "documents": documents})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == [field]
