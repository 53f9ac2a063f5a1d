"""Rate limits shared by API replicas: two uvicorn processes on one Redis count together."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest

from tests.api import factories
from tests.api.conftest import running_api
from tests.service_fixtures import Credential, create_api_key

pytestmark = pytest.mark.service


@pytest.fixture
def two_apis(service_env: dict[str, str], tmp_path: Any,
             request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Two API processes with low limits (`request.param`) and counters of their own (a key
    prefix under the session's, so no other test's requests count)."""
    limits: dict[str, str] = request.param
    env = {**service_env, **limits,
           "RT_KEY_PREFIX": f"{service_env['RT_KEY_PREFIX']}rl-{secrets.token_hex(3)}:"}
    with ExitStack() as stack:
        yield [stack.enter_context(running_api(env, tmp_path / f"api-{n}.log"))
               for n in range(2)]


def _get(url: str, key: Credential, path: str = "/v1/jobs/not-an-id") -> httpx.Response:
    return httpx.get(f"{url}{path}", headers=key.headers, timeout=10)


@pytest.mark.parametrize("two_apis", [{"RT_API_RATE_LIMIT_PER_IP": "6",
                                       "RT_API_RATE_LIMIT_WINDOW_S": "60"}], indirect=True)
def test_the_ip_limit_is_shared_by_two_api_processes(
        two_apis: list[str], api_key: Credential) -> None:
    answers = [_get(two_apis[n % 2], api_key) for n in range(6)]
    assert [a.status_code for a in answers] == [404] * 6  # authenticated, counted
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["5", "4", "3", "2", "1", "0"]
    for url in two_apis:  # the 7th and 8th, one on each process: both over the shared limit
        refused = _get(url, api_key)
        assert refused.status_code == 429, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.headers["ratelimit-limit"] == "6"
        assert refused.headers["ratelimit-remaining"] == "0"
        assert 0 < int(refused.headers["retry-after"]) <= 60
        assert refused.headers["ratelimit-reset"] == refused.headers["retry-after"]
    # Probes are not limited.
    assert httpx.get(f"{two_apis[0]}/healthz").status_code == 200


@pytest.mark.parametrize("two_apis", [{"RT_API_RATE_LIMIT_PER_KEY": "10"}], indirect=True)
def test_the_key_limit_counts_a_batchs_items(two_apis: list[str], api_key: Credential) -> None:
    other = create_api_key("rate-other")
    body = {"resume": factories.resume(), "postings": [factories.posting(i) for i in range(8)]}
    accepted = httpx.post(f"{two_apis[0]}/v1/batches", json=body, headers=api_key.headers,
                          timeout=30)
    assert accepted.status_code == 202, accepted.text
    assert accepted.headers["ratelimit-remaining"] == "2"  # eight items of ten
    assert _get(two_apis[1], api_key).headers["ratelimit-remaining"] == "1"
    assert _get(two_apis[0], api_key).status_code == 404
    refused = _get(two_apis[1], api_key)
    assert refused.status_code == 429 and "credential" in refused.json()["detail"]
    # Another key from the same client is counted on its own.
    assert _get(two_apis[0], other).status_code == 404
