"""`Client`: the `/v1` API over httpx, with safe retries.

Retried automatically: every GET, and a submit (with its idempotency key, so a retry can
only ever answer with the job the first attempt created), on a connection error or a 429/503,
after `Retry-After` when the answer gives one, else after a growing, jittered delay.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from resume_tailor_client.models import Batch, BatchAccepted, Job, Problem

RETRYABLE_STATUS = frozenset({429, 503})
_Model = TypeVar("_Model", bound=BaseModel)


class ApiError(Exception):
    """An error answer; `problem.type` says which kind (`/problems/validation-error`...)."""

    def __init__(self, problem: Problem) -> None:
        fields = "; ".join(f"{e.field}: {e.message}" for e in problem.errors)
        super().__init__(f"{problem.status} {problem.type}: {problem.detail or problem.title}"
                         + (f" ({fields})" if fields else ""))
        self.problem = problem

    @property
    def status(self) -> int:
        return self.problem.status


class WaitTimeout(TimeoutError):
    """A job or batch did not finish within the time given; `last` is how it stood."""

    def __init__(self, message: str, last: Job | Batch) -> None:
        super().__init__(message)
        self.last = last


def retry_after_s(response: httpx.Response) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date; None when absent or unreadable."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def credential_headers(api_key: str | None, bearer_token: str | None) -> dict[str, str]:
    """The header for one credential; the API refuses a request that carries both."""
    if api_key is not None and bearer_token is not None:
        raise ValueError("api_key, bearer_token: give one credential, not both")
    for name, value in (("api_key", api_key), ("bearer_token", bearer_token)):
        if value is not None and (not value.strip() or any(c in value for c in "\r\n")):
            raise ValueError(f"{name}: empty, or a line break inside")
    if api_key is not None:
        return {"X-API-Key": api_key.strip()}
    if bearer_token is not None:
        return {"Authorization": f"Bearer {bearer_token.strip()}"}
    return {}


class Client:
    """`base_url`: the API's root (`http://127.0.0.1:8000`). The credential, `api_key` (sent
    as `X-API-Key`) or `bearer_token` (a JWT, sent as `Authorization: Bearer`), and `headers`
    go with every API request, never with the presigned artifact downloads. Every `/v1`
    operation needs a credential: without one it answers 401 (`ApiError`)."""

    def __init__(
        self, base_url: str, *, api_key: str | None = None, bearer_token: str | None = None,
        timeout_s: float = 30.0, headers: Mapping[str, str] | None = None,
        max_retries: int = 5, backoff_base_s: float = 0.5, backoff_max_s: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=timeout_s, transport=transport,
            headers={**dict(headers or {}), **credential_headers(api_key, bearer_token)})
        self._downloads = httpx.Client(timeout=timeout_s, transport=transport,
                                       follow_redirects=True)
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self._sleep = sleep

    # ------------------------------------------------------------ jobs

    def submit_job(
        self, resume: Mapping[str, Any], posting: str, *, template: str | None = None,
        provider: str | None = None, documents: Sequence[str] | None = None,
        webhook_url: str | None = None, idempotency_key: str | None = None,
    ) -> Job:
        """Queue a job. Without `idempotency_key` one is made up, so the client's own
        retries stay safe; give your own (an order id, say) to make *your* retries safe."""
        body = _without_none({"resume": dict(resume), "posting": posting, "template": template,
                              "provider": provider, "webhook_url": webhook_url,
                              "documents": list(documents) if documents else None})
        answer = self._request("POST", "/v1/jobs", json=body,
                               headers={"Idempotency-Key": idempotency_key or _new_key()})
        return _parse(Job, answer)

    def get_job(self, job_id: uuid.UUID | str) -> Job:
        return _parse(Job, self._request("GET", f"/v1/jobs/{job_id}"))

    def cancel_job(self, job_id: uuid.UUID | str, *, purge: bool = False) -> Job:
        """Cancel (cancelling a cancelled job is fine; a finished one is an ApiError 409).
        `purge`: also delete the job's resume, posting, outputs and artifacts now (a
        finished job may be purged; the answer has `purged_at`)."""
        return _parse(Job, self._request("DELETE", f"/v1/jobs/{job_id}", retry=True,
                                         params={"purge": "true"} if purge else None))

    def wait_for_job(
        self, job_id: uuid.UUID | str, *, timeout_s: float = 600.0, first_delay_s: float = 0.5,
        max_delay_s: float = 10.0,
    ) -> Job:
        """Poll until the job is final (succeeded, failed or cancelled) and return it; the
        delay grows from `first_delay_s` to `max_delay_s`, or follows `Retry-After`."""
        return self._wait(lambda: self._request("GET", f"/v1/jobs/{job_id}"), Job,
                          timeout_s, first_delay_s, max_delay_s)

    def download_artifact(
        self, job_id: uuid.UUID | str, name: str, destination: str | Path | None = None,
    ) -> bytes:
        """The artifact's bytes (`resume.pdf`, `report.json`, ...), also written to
        `destination` when given. The API answers with a redirect to a presigned URL, which
        is fetched without this client's headers."""
        answer = self._request("GET", f"/v1/jobs/{job_id}/artifacts/{name}")
        if answer.status_code != 302 or "location" not in answer.headers:
            raise ApiError(Problem(status=answer.status_code, title="Unexpected answer",
                                   detail=f"expected a redirect, got {answer.status_code}"))
        # Relative to the API's URL when it is not absolute (HTTP allows either).
        file = self._downloads.get(answer.url.join(answer.headers["location"]))
        file.raise_for_status()
        if destination is not None:
            Path(destination).write_bytes(file.content)
        return file.content

    # ------------------------------------------------------------ batches

    def submit_batch(
        self, *, resume: Mapping[str, Any] | None = None,
        postings: Sequence[str | Mapping[str, Any]] | None = None,
        items: Sequence[Mapping[str, Any]] | None = None, template: str | None = None,
        provider: str | None = None, webhook_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> BatchAccepted:
        """Queue a batch: one `resume` with `postings` (texts, or `{"label", "posting"}`),
        ranked by fit; or `items` of `{"resume", "posting", "label"?}`."""
        body = _without_none({
            "resume": dict(resume) if resume is not None else None,
            "postings": [p if isinstance(p, str) else dict(p) for p in postings]
            if postings is not None else None,
            "items": [dict(i) for i in items] if items is not None else None,
            "template": template, "provider": provider, "webhook_url": webhook_url,
        })
        answer = self._request("POST", "/v1/batches", json=body,
                               headers={"Idempotency-Key": idempotency_key or _new_key()})
        return _parse(BatchAccepted, answer)

    def get_batch(self, batch_id: uuid.UUID | str) -> Batch:
        return _parse(Batch, self._request("GET", f"/v1/batches/{batch_id}"))

    def cancel_batch(self, batch_id: uuid.UUID | str, *, purge: bool = False) -> Batch:
        """Cancel the batch's unfinished jobs (a finished batch is not an error); `purge`:
        also delete every job's personal data now."""
        return _parse(Batch, self._request("DELETE", f"/v1/batches/{batch_id}", retry=True,
                                           params={"purge": "true"} if purge else None))

    def meta(self) -> dict[str, Any]:
        """What a submit may choose on this server (templates, providers, limits); any valid
        credential may read it."""
        answer: dict[str, Any] = self._request("GET", "/v1/meta").json()
        return answer

    def wait_for_batch(
        self, batch_id: uuid.UUID | str, *, timeout_s: float = 3600.0,
        first_delay_s: float = 1.0, max_delay_s: float = 15.0,
    ) -> Batch:
        """Poll until every job of the batch finished; the batch with its ranking."""
        return self._wait(lambda: self._request("GET", f"/v1/batches/{batch_id}"), Batch,
                          timeout_s, first_delay_s, max_delay_s)

    # ------------------------------------------------------------ plumbing

    def _wait(
        self, fetch: Callable[[], httpx.Response], model: type[Job] | type[Batch],
        timeout_s: float, first_delay_s: float, max_delay_s: float,
    ) -> Any:
        deadline = time.monotonic() + timeout_s
        delay = first_delay_s
        while True:
            answer = fetch()
            current = _parse(model, answer)
            if current.is_final:
                return current
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeout(f"still {current.state} after {timeout_s:g} s", current)
            hinted = retry_after_s(answer)
            self._sleep(min(remaining, hinted if hinted is not None else delay))
            delay = min(max_delay_s, delay * 1.5)

    def _request(
        self, method: str, path: str, *, json: Any = None,
        headers: Mapping[str, str] | None = None, retry: bool | None = None,
        params: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """One API call, retried when that is safe: GETs, and requests carrying an
        idempotency key (or `retry=True`). Problem answers become ApiError."""
        safe = retry if retry is not None else (
            method == "GET" or "Idempotency-Key" in (headers or {}))
        attempt = 0
        while True:
            try:
                answer = self._http.request(method, path, json=json, headers=headers,
                                            params=params)
            except httpx.TransportError:
                if not safe or attempt >= self.max_retries:
                    raise
                self._sleep(self._backoff(attempt))
                attempt += 1
                continue
            if answer.status_code in RETRYABLE_STATUS and safe and attempt < self.max_retries:
                hinted = retry_after_s(answer)
                self._sleep(hinted if hinted is not None else self._backoff(attempt))
                attempt += 1
                continue
            if answer.status_code >= 400:
                raise ApiError(_problem(answer))
            return answer

    def _backoff(self, attempt: int) -> float:
        # Full jitter: many clients retrying after one outage spread out.
        return random.uniform(0, min(self.backoff_max_s, self.backoff_base_s * 2**attempt))

    def close(self) -> None:
        self._http.close()
        self._downloads.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def _new_key() -> str:
    return f"rtc-{uuid.uuid4()}"


def _without_none(body: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if value is not None}


def _parse(model: type[_Model], answer: httpx.Response) -> _Model:
    return model.model_validate_json(answer.content)


def _problem(answer: httpx.Response) -> Problem:
    try:
        return Problem.model_validate_json(answer.content)
    except ValueError:
        return Problem(status=answer.status_code, title=answer.reason_phrase,
                       detail=answer.text[:500])
