"""The OpenAPI document read as an integrator would: every operation explained, every schema
and field described, every example valid against its schema, each route listing only the
answers it can give. In-process: no services needed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from api.app import create_app
from api.problems import PROBLEM_TYPES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_app().openapi()


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """Validates against `schema`, its `$ref`s resolved in the document's components."""
    rooted = {**schema, "components": document["components"]}
    return Draft202012Validator(rooted, format_checker=Draft202012Validator.FORMAT_CHECKER)


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for section in ("paths", "webhooks"):
        for path, item in document.get(section, {}).items():
            for method, operation in item.items():
                yield f"{method.upper()} {path}", operation


def test_every_operation_has_a_summary_and_a_description(document: dict[str, Any]) -> None:
    lacking = [name for name, op in operations(document)
               if not op.get("summary") or len(op.get("description", "")) < 80]
    assert lacking == []
    undescribed = [(name, p["name"]) for name, op in operations(document)
                   for p in op.get("parameters", []) if not p.get("description")]
    assert undescribed == []
    generated = [name for name, op in operations(document)
                 if re.fullmatch(r"([A-Z][a-z]+ ?)+", op["summary"]) and
                 op["summary"].title() == op["summary"]]
    assert generated == [], "summaries generated from function names"


def test_every_schema_and_field_is_described(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert len(schemas) > 40
    assert [name for name, s in schemas.items() if not s.get("description")] == []
    assert [f"{name}.{prop}" for name, s in schemas.items()
            for prop, spec in s.get("properties", {}).items()
            if not spec.get("description")] == []


def _media_examples(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(where, schema, example) for every example on a request or response body."""
    for name, op in operations(document):
        bodies = [("request", op.get("requestBody", {}))]
        bodies += [(status, answer) for status, answer in op.get("responses", {}).items()]
        for label, body in bodies:
            for media, content in body.get("content", {}).items():
                where = f"{name} {label} {media}"
                if "example" in content:
                    yield where, content["schema"], content["example"]
                for key, example in content.get("examples", {}).items():
                    yield f"{where} {key}", content["schema"], example["value"]


def test_every_example_validates_against_its_schema(document: dict[str, Any]) -> None:
    checked = 0
    errors = []
    for name, schema in document["components"]["schemas"].items():
        for index, example in enumerate(schema.get("examples", [])):
            found = [e.message for e in validator(document, schema).iter_errors(example)]
            errors += [f"{name}.examples[{index}]: {m}" for m in found]
            checked += 1
    for where, schema, example in _media_examples(document):
        errors += [f"{where}: {e.message}"
                   for e in validator(document, schema).iter_errors(example)]
        checked += 1
    assert errors == []
    # Request and response bodies of both resources carry examples, and each error kind too.
    for name in ("JobCreate", "JobOut", "BatchCreate", "BatchOut", "BatchAccepted",
                 "JobEvent", "BatchEvent", "Problem"):
        assert document["components"]["schemas"][name].get("examples"), name
    assert checked >= 30


def test_an_invalid_example_is_caught(document: dict[str, Any]) -> None:
    """The check above is not vacuous: a body missing a required field fails it."""
    schema = {"$ref": "#/components/schemas/JobOut"}
    example = dict(document["components"]["schemas"]["JobOut"]["examples"][0])
    del example["state"]
    assert list(validator(document, schema).iter_errors(example))


def _answers(document: dict[str, Any], method: str, path: str) -> set[str]:
    return set(document["paths"][path][method]["responses"])


AUTH = {"401", "403", "429"}


def test_each_route_lists_only_the_answers_it_can_give(document: dict[str, Any]) -> None:
    for name, op in operations(document):
        if name.startswith("GET") or name.startswith("DELETE"):
            assert "413" not in op["responses"], name  # no body, nothing too large
        if name.startswith("GET"):
            assert "422" not in op["responses"], name  # no input to be invalid
    assert _answers(document, "post", "/v1/jobs") == {"200", "202", "400", "413", "422",
                                                      "500", "503"} | AUTH
    assert _answers(document, "get", "/v1/jobs/{job_id}") == {"200", "404", "500", "503"} | AUTH
    assert _answers(document, "get", "/v1/jobs/{job_id}/artifacts/{name}") == {
        "302", "404", "409", "500", "503"} | AUTH
    # `?purge=` is the one input of a DELETE: a value that is not a boolean is a 422.
    assert _answers(document, "delete", "/v1/jobs/{job_id}") == {
        "200", "404", "409", "422", "500", "503"} | AUTH
    assert _answers(document, "delete", "/v1/batches/{batch_id}") == {
        "200", "404", "422", "500", "503"} | AUTH
    # Any valid credential: no scope to lack, so no 403.
    assert _answers(document, "get", "/v1/meta") == {"200", "401", "429", "500", "503"}
    assert _answers(document, "get", "/healthz") == {"200", "500"}
    assert _answers(document, "get", "/readyz") == {"200", "500", "503"}  # never a 401
    assert _answers(document, "get", "/metrics") == {"200", "500", "503"} | AUTH
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_authenticated_operations_declare_their_credentials_and_scope(
        document: dict[str, Any]) -> None:
    """`security` comes from each route's dependency (api.deps.require); every operation that
    has it answers 401 and 429, and 403 when it names a scope (the same for both
    credentials)."""
    schemes = document["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {"type": "apiKey", "in": "header", "name": "X-API-Key",
                                 "description": schemes["ApiKey"]["description"]}
    assert schemes["BearerJWT"]["scheme"] == "bearer"
    open_v1: list[str] = []
    for name, op in operations(document):
        path = name.split()[1]
        if path in document.get("webhooks", {}):
            continue
        security = op.get("security")
        if security is None:
            assert not AUTH & set(op["responses"]) - {"429"}, name
            open_v1 += [name] if path.startswith("/v1/") else []
            continue
        if {} in security:
            continue  # optional: /readyz tells an admin more, /metrics may need one
        assert [set(r) for r in security] == [{"ApiKey"}, {"BearerJWT"}], name
        scopes = {tuple(requirement[scheme]) for requirement in security
                  for scheme in requirement}
        assert len(scopes) == 1, (name, scopes)
        scoped = scopes.pop() != ()
        assert set(op["responses"]) >= ({"401", "429"} | ({"403"} if scoped else set())), name
        assert ("403" in op["responses"]) == scoped, name
    assert open_v1 == []
    assert document["paths"]["/v1/meta"]["get"]["security"] == [{"ApiKey": []},
                                                                {"BearerJWT": []}]
    scope = document["paths"]["/v1/batches"]["post"]["security"][0]["ApiKey"]
    assert scope == ["batches:write"]


def test_answers_carry_the_request_id_and_rate_limit_headers(document: dict[str, Any]) -> None:
    answers = document["paths"]["/v1/jobs/{job_id}"]["get"]["responses"]
    assert {"X-Request-ID", "RateLimit-Limit", "RateLimit-Remaining",
            "RateLimit-Reset"} <= set(answers["200"]["headers"])
    assert {"Retry-After", "RateLimit-Reset"} <= set(answers["429"]["headers"])
    assert "WWW-Authenticate" in answers["401"]["headers"]
    probe = document["paths"]["/healthz"]["get"]["responses"]["200"]["headers"]
    assert set(probe) == {"X-Request-ID"}  # probes are never rate limited
    for header in ("X-Request-ID", "Retry-After", "RateLimit-Limit", "WWW-Authenticate"):
        assert document["components"]["headers"][header]["description"]


def _problem_types(answer: dict[str, Any]) -> list[str]:
    schema = answer["content"]["application/problem+json"]["schema"]
    types: list[str] = schema["properties"]["type"]["enum"]
    return types


def test_every_error_answer_names_its_problem_types(document: dict[str, Any]) -> None:
    known = {problem.uri for problem in PROBLEM_TYPES.values()}
    for name, op in operations(document):
        if name.split()[1] in document.get("webhooks", {}):
            continue  # the receiver's answers, not ours
        for status, answer in op["responses"].items():
            if int(status) < 400:
                continue
            types = _problem_types(answer)
            assert types and set(types) <= known, (name, status)
            assert all(PROBLEM_TYPES[t.rsplit("/", 1)[1]].status == int(status) for t in types)
    cancel = document["paths"]["/v1/jobs/{job_id}"]["delete"]["responses"]
    assert _problem_types(cancel["409"]) == ["/problems/job-finished"]
    submit = document["paths"]["/v1/jobs"]["post"]["responses"]
    assert _problem_types(submit["422"]) == ["/problems/validation-error",
                                             "/problems/idempotency-key-reused"]
    assert "Retry-After" in submit["503"]["headers"]


def test_every_problem_type_the_code_raises_is_in_the_catalog() -> None:
    """`slug="..."` anywhere in api/ names a catalogued type, and docs/api.md lists each."""
    used = set()
    for source in (ROOT / "api").rglob("*.py"):
        used |= set(re.findall(r'slug="([a-z-]+)"', source.read_text()))
    used.add("body-too-large")  # api/limits.py writes its body by hand, from the catalog
    assert used and used <= set(PROBLEM_TYPES), used - set(PROBLEM_TYPES)
    listed = (ROOT / "docs" / "api.md").read_text()
    assert [p.uri for p in PROBLEM_TYPES.values() if f"`{p.uri}`" not in listed] == []
