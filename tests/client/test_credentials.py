"""The client's credential: `X-API-Key` or `Authorization: Bearer` on every API request,
retries included, never on the presigned download it is redirected to; one credential only,
as the API requires. Against the loopback server of test_retries.py."""

from __future__ import annotations

import pytest

from resume_tailor_client import ApiError, Client
from tests.client.test_retries import JOB, _problem, scripted_server

QUEUED = {**JOB, "state": "queued"}


def test_the_api_key_goes_with_every_request_and_its_retries() -> None:
    slept: list[float] = []
    limited = (429, {"retry-after": "1", "ratelimit-remaining": "0"},
               _problem(429, "rate-limited"))
    with scripted_server(limited, (202, {}, QUEUED), (200, {}, QUEUED)) as server, \
            Client(server.url, api_key="rt_0123abcd_secret", sleep=slept.append) as client:
        client.submit_job({"basics": {"name": "Ada"}}, "Python", idempotency_key="k-1")
        client.get_job(JOB["id"])
    assert slept == [1.0]
    assert [h.get("x-api-key") for _, _, h in server.requests] == ["rt_0123abcd_secret"] * 3
    assert all("authorization" not in h for _, _, h in server.requests)


def test_a_bearer_token_is_sent_as_authorization() -> None:
    with scripted_server((200, {}, QUEUED)) as server, \
            Client(server.url, bearer_token="eyJhbGciOi.x.y") as client:
        client.get_job(JOB["id"])
    [(_, _, headers)] = server.requests
    assert headers["authorization"] == "Bearer eyJhbGciOi.x.y"
    assert "x-api-key" not in headers


def test_the_download_it_is_redirected_to_gets_no_credential() -> None:
    with scripted_server((302, {"location": "/presigned/resume.pdf"}, {}),
                         (200, {}, {"pdf": True})) as server:
        server_url = server.url
        with Client(server_url, api_key="rt_0123abcd_secret") as client:
            content = client.download_artifact(JOB["id"], "resume.pdf")
    (_, api_path, api_headers), (_, file_path, file_headers) = server.requests
    assert api_path.endswith("/artifacts/resume.pdf") and api_headers["x-api-key"]
    assert file_path == "/presigned/resume.pdf" and "x-api-key" not in file_headers
    assert content == b'{"pdf": true}'


def test_purge_is_a_query_and_a_401_is_an_api_error() -> None:
    refused = (401, {"www-authenticate": "Bearer"}, _problem(401, "unauthorized"))
    with scripted_server((200, {}, {**JOB, "state": "cancelled",
                                    "purged_at": "2025-03-01T12:05:00Z"}), refused) as server, \
            Client(server.url, api_key="rt_0123abcd_secret", sleep=lambda s: None) as client:
        job = client.cancel_job(JOB["id"], purge=True)
        with pytest.raises(ApiError) as error:
            client.get_job(JOB["id"])
    assert job.purged_at is not None
    assert server.requests[0][:2] == ("DELETE", f"/v1/jobs/{JOB['id']}?purge=true")
    assert error.value.status == 401 and len(server.requests) == 2  # a 401 is not retried


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"api_key": "rt_a_b", "bearer_token": "t"}, "api_key, bearer_token"),
    ({"api_key": " "}, "api_key"),
    ({"bearer_token": "a\nb"}, "bearer_token"),
])
def test_a_bad_credential_is_refused_naming_the_argument(
        kwargs: dict[str, str], field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}: "):
        Client("http://127.0.0.1:9", **kwargs)
