"""Input validation and error shape, through the ASGI app, with no services behind it.

Every request here is refused before the route touches Postgres or the broker, which is the
point: bad input never reaches the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.errors import field_path
from tests.api.tokens import app_client, bearer, jwt_settings

LIMIT = 64 * 1024


@pytest.fixture
def client() -> Iterator[TestClient]:
    # Whatever the environment says (service tests allow private webhooks), these refuse them.
    # Callers authenticate with a JWT: no Postgres behind these tests.
    settings = jwt_settings(api_max_body_bytes=LIMIT, api_max_batch_body_bytes=2 * LIMIT,
                            allow_private_webhooks=False)
    with app_client(settings, headers=bearer()) as test_client:
        yield test_client


def _job(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "resume": {"basics": {"name": "Ada Lovelace"},
                   "work": [{"name": "Analytical Engines", "startDate": "2019-03"}]},
        "posting": "Backend engineer. Python, PostgreSQL.",
    }
    body.update(overrides)
    return body


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status and problem["title"] and "type" in problem
    return problem


def _fields(problem: dict[str, Any]) -> list[str]:
    return [e["field"] for e in problem.get("errors", [])]


@pytest.mark.parametrize(
    ("loc", "path"),
    [
        (("body", "resume", "work", 2, "startDate"), "resume.work[2].startDate"),
        (("body", "posting"), "posting"),
        (("body",), "body"),
        (("header", "Idempotency-Key"), "header.Idempotency-Key"),
        (("body", "items", 0, "resume", "skills", 1, "keywords", 0),
         "items[0].resume.skills[1].keywords[0]"),
    ],
)
def test_field_path(loc: tuple[Any, ...], path: str) -> None:
    assert field_path(loc) == path


def test_bad_resume_date_names_the_field(client: TestClient) -> None:
    resume = {"work": [{"name": "A"}, {"name": "B"}, {"name": "C", "startDate": "Spring 2020"}]}
    problem = _problem(client.post("/v1/jobs", json=_job(resume=resume)), 422)
    assert _fields(problem) == ["resume.work[2].startDate"]
    assert "resume.work[2].startDate" in problem["detail"]


def test_wrong_types_in_the_resume_are_each_named(client: TestClient) -> None:
    resume = {"basics": {"profiles": "not a list"}, "skills": [{"keywords": [1, {"x": 2}]}]}
    problem = _problem(client.post("/v1/jobs", json=_job(resume=resume)), 422)
    fields = _fields(problem)
    assert "resume.basics.profiles" in fields
    assert "resume.skills[0].keywords[1]" in fields


def test_resume_that_is_not_an_object(client: TestClient) -> None:
    problem = _problem(client.post("/v1/jobs", json=_job(resume=["a"])), 422)
    assert _fields(problem) == ["resume"]


@pytest.mark.parametrize("posting", ["", "   \n\t "])
def test_empty_posting(client: TestClient, posting: str) -> None:
    problem = _problem(client.post("/v1/jobs", json=_job(posting=posting)), 422)
    assert _fields(problem) == ["posting"]


def test_missing_fields_and_unknown_keys(client: TestClient) -> None:
    problem = _problem(client.post("/v1/jobs", json={"resume": {}, "postng": "x"}), 422)
    assert set(_fields(problem)) == {"posting", "postng"}


def test_bad_provider_and_template(client: TestClient) -> None:
    body = _job(provider="gpt-9", template="../../etc/passwd")
    problem = _problem(client.post("/v1/jobs", json=body), 422)
    assert set(_fields(problem)) == {"provider", "template"}


def test_unknown_template_names_the_known_ones(client: TestClient) -> None:
    problem = _problem(client.post("/v1/jobs", json=_job(template="fancy")), 422)
    assert _fields(problem) == ["template"]
    assert "classic" in problem["errors"][0]["message"]


def test_invalid_json_names_the_body(client: TestClient) -> None:
    response = client.post(
        "/v1/jobs", content=b'{"resume": {', headers={"content-type": "application/json"}
    )
    problem = _problem(response, 422)
    assert _fields(problem) == ["body"]
    assert "invalid JSON" in problem["errors"][0]["message"]


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/hook", "http://169.254.169.254/latest", "ftp://example.com/x",
     "http://[::ffff:10.0.0.1]/", "not a url"],
)
def test_unsafe_webhook_url(client: TestClient, url: str) -> None:
    problem = _problem(client.post("/v1/jobs", json=_job(webhook_url=url)), 422)
    assert _fields(problem) == ["webhook_url"]


def test_oversized_body_with_content_length(client: TestClient) -> None:
    body = _job(posting="x" * (LIMIT + 1))
    problem = _problem(client.post("/v1/jobs", json=body), 413)
    assert problem["limit_bytes"] == LIMIT
    assert str(LIMIT) in problem["detail"]


def test_oversized_chunked_body_is_counted(client: TestClient) -> None:
    payload = json.dumps(_job(posting="y" * (LIMIT + 10))).encode()

    def chunks() -> Iterator[bytes]:  # no content-length: the middleware must count
        for start in range(0, len(payload), 4096):
            yield payload[start:start + 4096]

    response = client.post("/v1/jobs", content=chunks(),
                           headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers
    assert _problem(response, 413)["limit_bytes"] == LIMIT


def test_batch_limit_is_separate(client: TestClient) -> None:
    # Above the job limit, under the batch limit: refused for being a bad batch, not large.
    postings = ["z" * (LIMIT // 4)] * 5
    body = {"resume": {"basics": {"name": "A"}}, "postings": postings, "provider": "nope"}
    problem = _problem(client.post("/v1/batches", json=body), 422)
    assert _fields(problem) == ["provider"]


def test_batch_needs_one_shape(client: TestClient) -> None:
    both = {"resume": {}, "postings": ["a"], "items": [{"resume": {}, "posting": "b"}]}
    assert _fields(_problem(client.post("/v1/batches", json=both), 422)) == ["body"]
    neither = {"resume": {}}
    assert _fields(_problem(client.post("/v1/batches", json=neither), 422)) == ["body"]


def test_batch_item_errors_name_the_item(client: TestClient) -> None:
    body = {"items": [{"resume": {}, "posting": "fine"},
                      {"resume": {"work": [{"endDate": "soon"}]}, "posting": " "}]}
    problem = _problem(client.post("/v1/batches", json=body), 422)
    assert set(_fields(problem)) == {"items[1].resume.work[0].endDate", "items[1].posting"}


def test_batch_over_500_postings(client: TestClient) -> None:
    body = {"resume": {}, "postings": ["p"] * 501}
    problem = _problem(client.post("/v1/batches", json=body), 422)
    assert _fields(problem) == ["postings"]


def test_unknown_route_and_bad_id_are_problems(client: TestClient) -> None:
    _problem(client.get("/v1/nothing"), 404)
    _problem(client.get("/v1/jobs/not-a-uuid"), 404)
    _problem(client.put("/v1/jobs", json={}), 405)


def test_healthz_and_docs(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/v1/jobs", "/v1/jobs/{job_id}", "/v1/batches"} <= set(spec["paths"])


def test_an_unconfigured_ai_provider_is_refused_at_submit(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The client's settings are read per request (see `client`), so they see this.
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    problem = _problem(client.post("/v1/jobs", json=_job(provider="openai")), 422)
    assert _fields(problem) == ["provider"]
    assert "OPENAI_API_KEY" in json.dumps(problem)


def test_job_status_shows_ai_usage_and_cost() -> None:
    from api.views import stage_usage

    row = {"provider": "openai", "model": "gpt-4.1-mini", "prompt_version": "rewrite_bullet@v1",
           "requests": 12, "input_tokens": 3000, "output_tokens": 600, "cost_usd": 0.0021}
    usage = stage_usage({"parse": {"attempts": 1}, "rewrite": {"usage": [row]}})
    assert [(u.stage, u.provider, u.requests, u.cost_usd) for u in usage] == [
        ("rewrite", "openai", 12, 0.0021)]


OLDER_RESUME: dict[str, Any] = {  # JSON Resume before 1.0.0
    "basics": {"name": "Ada Lovelace", "website": "https://ada.example", "picture": "a.png"},
    "work": [{"company": "Analytical Engines", "website": "https://ae.example",
              "startDate": "2019-03"}],
    "education": [{"institution": "University of London", "gpa": "3.9"}],
}


def test_older_layout_resume_is_accepted_and_stored_as_1_0_0() -> None:
    from api.schemas import BatchCreate, JobCreate
    from api.submit import checked_resume, request_hash

    job = JobCreate.model_validate(_job(resume=OLDER_RESUME))
    stored = checked_resume(job.resume)
    assert stored["work"] == [{"name": "Analytical Engines", "url": "https://ae.example",
                               "startDate": "2019-03"}]
    assert stored["basics"] == {"name": "Ada Lovelace", "url": "https://ada.example",
                                "image": "a.png"}
    assert stored["education"] == [{"institution": "University of London", "score": "3.9"}]
    # The same resume written in 1.0.0 is the same request.
    assert request_hash(job) == request_hash(JobCreate.model_validate(_job(resume=stored)))
    one = BatchCreate.model_validate({"resume": OLDER_RESUME, "postings": ["p"]})
    pairs = BatchCreate.model_validate({"items": [{"resume": OLDER_RESUME, "posting": "p"}]})
    for batch in (one, pairs):
        [(_, resume, _)] = batch.pairs()
        assert checked_resume(resume)["work"][0]["name"] == "Analytical Engines"


def test_older_layout_field_of_the_wrong_type_is_named(client: TestClient) -> None:
    resume = {"work": [{"company": ["Analytical Engines"]}]}
    problem = _problem(client.post("/v1/jobs", json=_job(resume=resume)), 422)
    assert _fields(problem) == ["resume"]
    assert "work[0].company: must be a string" in problem["errors"][0]["message"]


# ---------------------------------------------------------------- size limits (issue 12)


@pytest.mark.parametrize(
    ("resume", "field", "message"),
    [
        ({"basics": {"name": "\\" * 1000}}, "resume.basics.name", "longer than 200 characters"),
        ({"work": [{"name": "A", "highlights": ["x" * 1001]}]},
         "resume.work[0].highlights[0]", "longer than 1000 characters"),
        ({"work": [{"name": "A", "highlights": ["x"] * 51}]},
         "resume.work[0].highlights", "more than 50 items"),
        ({"skills": [{"name": "S"}] * 101}, "resume.skills", "more than 100 entries"),
        ({"basics": {"summary": "x" * 3001}}, "resume.basics.summary",
         "longer than 3000 characters"),
        ({"work": [{"name": "A", "startDate": "2020-02-31"}]}, "resume.work[0].startDate",
         "not a date (month or day out of range)"),
        ({"work": [{"name": "A"}, {"name": "B", "startDate": "2021-05", "endDate": "2020"}]},
         "resume.work[1].endDate", "before startDate"),
        ({"meta": {"note": "x" * 3001}}, "resume", "meta.note: longer than 3000 characters"),
    ],
)
def test_resume_limits_name_the_field(client: TestClient, resume: dict[str, Any], field: str,
                                      message: str) -> None:
    problem = _problem(client.post("/v1/jobs", json=_job(resume=resume)), 422)
    errors = {e["field"]: e["message"] for e in problem["errors"]}
    assert errors.get(field) == message, problem


def test_deep_nesting_is_refused_not_an_internal_error(client: TestClient) -> None:
    deep = "[" * 5000 + "]" * 5000
    body = '{"resume": {"basics": {"name": "A"}, "x": ' + deep + '}, "posting": "Python"}'
    response = client.post("/v1/jobs", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    moderate = "[" * 30 + "]" * 30
    body = '{"resume": {"basics": {"name": "A"}, "x": ' + moderate + '}, "posting": "Python"}'
    problem = _problem(client.post("/v1/jobs", content=body,
                                   headers={"content-type": "application/json"}), 422)
    assert "nested deeper than 20 levels" in problem["errors"][0]["message"]


def test_a_huge_integer_is_refused_not_an_internal_error(client: TestClient) -> None:
    body = '{"resume": {"basics": {"name": "A"}, "x": ' + "9" * 5000 + '}, "posting": "Python"}'
    response = client.post("/v1/jobs", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code in (400, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


# Found by fuzzing (tests/api/test_fuzz_service.py): these reached Postgres or a UTF-8 encoder
# and came back as 500s.
@pytest.mark.parametrize(("body", "field"), [
    (_job(resume={"basics": {"name": "Ada\x00"}}), "resume"),
    (_job(resume={"x-\ud800": "y"}), "resume"),
    (_job(resume={"meta": {"score": float("nan")}}), "resume"),
    (_job(posting="Backend engineer \udc80"), "posting"),
    (_job(webhook_url="http://localhost/\x00"), "webhook_url"),
    ({"items": [{"resume": {}, "posting": "Python", "label": "a\x00"}]}, "items[0].label"),
])
def test_text_postgres_cannot_store_is_refused(client: TestClient, body: dict[str, Any],
                                               field: str) -> None:
    path = "/v1/batches" if "items" in body else "/v1/jobs"
    # json.dumps escapes NUL and lone surrogates (\u0000, \ud800) as a client would send them.
    response = client.post(path, content=json.dumps(body),
                           headers={"content-type": "application/json"})
    assert _fields(_problem(response, 422)) == [field]


def test_a_body_that_is_not_utf8_is_a_400_naming_the_body(client: TestClient) -> None:
    response = client.post("/v1/jobs", content=b'{"posting": "\xff\xfe"}',
                           headers={"content-type": "application/json"})
    problem = _problem(response, 400)
    assert _fields(problem) == ["body"] and problem["type"] == "/problems/unreadable-body"


def test_openapi_documents_problems_as_problem_json(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    content = response.get("content", {})
                    assert set(content) == {"application/problem+json"}, (method, path, status)
                    schema = content["application/problem+json"]["schema"]
                    assert schema["allOf"] == [problem], (method, path, status)
    responses = spec["paths"]["/v1/jobs/{job_id}/artifacts/{name}"]["get"]["responses"]
    assert "content" not in responses["302"] and "409" in responses
    posting = spec["components"]["schemas"]["JobCreate"]["properties"]["posting"]
    assert posting["pattern"] == r"\S"
