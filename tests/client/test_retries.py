"""The client's retries and waiting, against a real loopback HTTP server that answers from a
script: `Retry-After` is honoured (seconds and HTTP dates), a submit is retried with the same
idempotency key, and what is not safe or not transient is not retried."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from time import time

import httpx
import pytest

from resume_tailor_client import ApiError, Client, WaitTimeout

JOB = {"id": "6f1c2b0e-9d4a-4c3e-8a57-2f0d1b3c4e5f", "template": "classic", "provider": "local",
       "created_at": "2025-03-01T12:00:00Z", "updated_at": "2025-03-01T12:00:00Z"}


@dataclass
class Scripted:
    """Answers in order (the last repeats): (status, headers, body)."""

    answers: list[tuple[int, dict[str, str], dict[str, object]]]
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    url: str = ""


@contextmanager
def scripted_server(*answers: tuple[int, dict[str, str], dict[str, object]]) -> Iterator[Scripted]:
    state = Scripted(list(answers))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("content-length", 0))
            self.rfile.read(length)
            with lock:
                state.requests.append((self.command, self.path,
                                       {k.lower(): v for k, v in self.headers.items()}))
                index = min(len(state.requests), len(state.answers)) - 1
                status, headers, body = state.answers[index]
            payload = json.dumps(body).encode()
            self.send_response(status)
            for name, value in {"content-type": "application/json", **headers}.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = _answer  # noqa: N815 - http.server's naming

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _problem(status: int, slug: str) -> dict[str, object]:
    return {"type": f"/problems/{slug}", "title": "t", "status": status, "detail": "d",
            "errors": [{"field": "posting", "message": "must not be empty"}]}


def test_a_submit_is_retried_after_retry_after_with_the_same_key() -> None:
    slept: list[float] = []
    unavailable = (503, {"retry-after": "2"}, _problem(503, "database-unavailable"))
    with scripted_server(unavailable, (202, {}, {**JOB, "state": "queued"})) as server, \
            Client(server.url, sleep=slept.append) as client:
        job = client.submit_job({"basics": {"name": "Ada"}}, "Python", idempotency_key="k-1")
    assert job.state == "queued" and not job.is_final
    assert slept == [2.0]
    keys = [headers["idempotency-key"] for _, _, headers in server.requests]
    assert keys == ["k-1", "k-1"]


def test_a_submit_without_a_key_gets_one_that_its_retries_reuse() -> None:
    slept: list[float] = []
    date = formatdate(time() + 30, usegmt=True)
    with scripted_server((429, {"retry-after": date}, _problem(429, "rate-limited")),
                         (202, {}, {**JOB, "state": "queued"})) as server, \
            Client(server.url, sleep=slept.append) as client:
        client.submit_job({"basics": {"name": "Ada"}}, "Python")
    keys = {headers["idempotency-key"] for _, _, headers in server.requests}
    assert len(server.requests) == 2 and len(keys) == 1 and keys.pop().startswith("rtc-")
    assert len(slept) == 1 and 25 < slept[0] <= 30  # an HTTP date, read as seconds from now


def test_an_invalid_request_is_not_retried_and_names_the_field() -> None:
    with (
        scripted_server((422, {}, _problem(422, "validation-error"))) as server,
        Client(server.url, sleep=lambda s: None) as client,
        pytest.raises(ApiError) as raised,
    ):
        client.submit_job({"basics": {"name": "Ada"}}, "")
    assert len(server.requests) == 1
    assert raised.value.status == 422
    assert raised.value.problem.type == "/problems/validation-error"
    assert "posting: must not be empty" in str(raised.value)


def test_retries_stop_after_max_retries() -> None:
    slept: list[float] = []
    with (
        scripted_server((503, {}, _problem(503, "database-unavailable"))) as server,
        Client(server.url, sleep=slept.append, max_retries=3, backoff_base_s=1) as client,
        pytest.raises(ApiError),
    ):
        client.get_job(JOB["id"])
    assert len(server.requests) == 4
    assert [0 <= s <= 2**i for i, s in enumerate(slept)] == [True, True, True]


def test_wait_for_job_backs_off_until_final_and_follows_retry_after() -> None:
    slept: list[float] = []
    with scripted_server((200, {}, {**JOB, "state": "queued"}),
                         (200, {}, {**JOB, "state": "parsing"}),
                         (200, {"retry-after": "7"}, {**JOB, "state": "compiling"}),
                         (200, {}, {**JOB, "state": "succeeded", "future_field": 1})) as server, \
            Client(server.url, sleep=slept.append) as client:
        job = client.wait_for_job(JOB["id"], first_delay_s=1, max_delay_s=2)
    assert job.state == "succeeded" and job.is_final
    assert slept == [1, 1.5, 7]
    assert job.model_extra == {"future_field": 1}  # fields added within /v1 are kept


def test_wait_gives_up_at_its_timeout_with_the_last_state() -> None:
    with (
        scripted_server((200, {}, {**JOB, "state": "rewriting"})) as server,
        Client(server.url, sleep=lambda s: None) as client,
        pytest.raises(WaitTimeout) as raised,
    ):
        client.wait_for_job(JOB["id"], timeout_s=0)
    assert raised.value.last.state == "rewriting"


def test_a_refused_connection_is_retried_for_a_get_and_a_cancel() -> None:
    slept: list[float] = []
    with scripted_server() as server:
        url = server.url  # closed once the block ends: nothing listens there any more
    with Client(url, sleep=slept.append, max_retries=2) as client:
        with pytest.raises(httpx.ConnectError):
            client.get_job(JOB["id"])
        assert len(slept) == 2
        with pytest.raises(httpx.ConnectError):
            client.cancel_job(JOB["id"])  # a DELETE is idempotent here: retried too
        assert len(slept) == 4
