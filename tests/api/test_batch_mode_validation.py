"""`mode` and `tailor_top` of a batch, refused before anything is written (no services)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.schemas import DEFAULT_TAILOR_TOP, BatchCreate
from tests.api import factories
from tests.api.tokens import app_client, bearer


@pytest.fixture
def client() -> Iterator[TestClient]:
    # Callers authenticate with a JWT: no Postgres behind these tests.
    with app_client(headers=bearer()) as test_client:
        yield test_client


def _ranking(**fields: Any) -> dict[str, Any]:
    return {"resume": factories.resume(),
            "postings": [factories.posting(i) for i in range(3)], **fields}


def _refused(client: TestClient, body: dict[str, Any]) -> list[tuple[str, str]]:
    response = client.post("/v1/batches", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return [(e["field"], e["message"]) for e in response.json()["errors"]]


@pytest.mark.parametrize("value", [-1, 501, "3", 2.5, True])
def test_tailor_top_out_of_range_or_not_an_integer(client: TestClient, value: object) -> None:
    errors = _refused(client, _ranking(mode="rank_first", tailor_top=value))
    assert [field for field, _ in errors] == ["tailor_top"]


def test_tailor_top_without_rank_first_names_it(client: TestClient) -> None:
    errors = _refused(client, _ranking(tailor_top=2))
    assert errors[0][0] == "tailor_top" and "rank_first" in errors[0][1]


def test_rank_first_needs_one_resume(client: TestClient) -> None:
    items = [{"resume": factories.resume(), "posting": factories.posting(i)} for i in range(2)]
    errors = _refused(client, {"items": items, "mode": "rank_first"})
    assert [field for field, _ in errors] == ["mode"]


def test_unknown_mode_names_it(client: TestClient) -> None:
    assert [f for f, _ in _refused(client, _ranking(mode="rank"))] == ["mode"]


def test_how_many_are_tailored() -> None:
    assert BatchCreate.model_validate(_ranking()).ranking_tailors is None
    assert BatchCreate.model_validate(_ranking(mode="rank_first")).ranking_tailors == \
        DEFAULT_TAILOR_TOP
    assert BatchCreate.model_validate(_ranking(mode="rank_first", tailor_top=0)).ranking_tailors \
        == 0
