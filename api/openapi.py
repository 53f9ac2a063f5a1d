"""The OpenAPI document: FastAPI's, plus what FastAPI cannot say by itself.

- The `Problem` schema every error answer refers to (routes declare their problems with
  `api.errors.responses`, which refers to it by `$ref`).
- No generic 422: FastAPI adds one to every route with parameters; a route that can answer
  422 declares it with its problem types.
- The JSON Resume models' descriptions, from the JSON Resume schema the pipeline validates
  with, so the two cannot disagree.
- `security` where a probe takes an optional credential (`OPTIONAL_ADMIN`); on the `/v1`
  operations FastAPI declares it from their dependencies (`api.deps.require`).
- The headers every answer carries (`X-Request-ID`, and on rate-limited paths `RateLimit-*`).

`API_VERSION` is the document's `info.version`; CHANGELOG.md's top section names it, and
docs/api.md says when it changes.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from api.deps import API_KEY_SCHEME, BEARER_SCHEME
from api.errors import HEADER_REF, HEADERS, RATE_LIMIT_HEADERS, Problem
from api.problems import PROBLEM_TYPES
from api.rate_limit import EXEMPT_PATHS, LIMITED_PREFIXES

API_VERSION = "1.3.0"

# Anyone may call; a credential with the `admin` scope is told more (`/readyz`), or, where the
# deployment requires it, needed (`/metrics`). `{}` is "no credential".
OPTIONAL_ADMIN: list[dict[str, list[str]]] = [
    {}, {API_KEY_SCHEME: ["admin"]}, {BEARER_SCHEME: ["admin"]}]

DESCRIPTION = """\
Tailor a [JSON Resume](https://jsonresume.org) to a job posting: a one-page, ATS-readable PDF,
the LaTeX it came from, the tailored resume and a report of every change, without inventing
anything.

**How to use it.** Submit a job (`POST /v1/jobs`) or a batch of up to 500
(`POST /v1/batches`); the answer is 202 with the resource's URL in `Location`. Then poll it
with a growing interval, or give a `webhook_url` and be told when it is done. Once a job
`succeeded`, download its artifacts (`GET /v1/jobs/{job_id}/artifacts/resume.pdf`, a redirect
to a presigned URL).

**Authentication.** Every `/v1` operation needs a credential: an API key
in `X-API-Key`, or a JWT in `Authorization: Bearer` (one of the two, not both). Each names a
tenant, which owns everything it creates (another tenant's ids answer 404), and scopes:
`jobs:write`, `jobs:read`, `batches:write`, or `admin` for all. Without a valid credential
the answer is 401; without the operation's scope, 403. Each operation's `security` names the
scope it needs.

**Rate limits.** Requests per client address and units of work per credential (a batch
counts its items) are limited per window, across every server: over a limit the answer is
429 with `Retry-After`, and answers carry `RateLimit-Limit`, `RateLimit-Remaining` and
`RateLimit-Reset`. Every answer carries `X-Request-ID` (yours, if you sent one): quote it
when reporting a problem.

**Retries.** Send an `Idempotency-Key` with every submit: a retry with the same key and body
answers with what the first request created, so a timeout never makes two jobs. Every `GET`
is safe to repeat. A 429 or 503 carries `Retry-After`.

**Errors** are `application/problem+json` (RFC 9457). Branch on `type` (a URI such as
`/problems/not-found`); input errors list each offending field by its path in the request
(`resume.work[2].startDate`). Each operation lists the problem types it can answer; the full
list is in docs/api.md.

**Webhooks** follow [Standard Webhooks](https://www.standardwebhooks.com): see the `webhooks`
section for the events and how to verify their signature.

**Versioning.** Everything under `/v1` only grows: new optional fields, new endpoints, new
enum values (treat enums you receive as open, and ignore fields you do not know). A change
that would break a client goes to `/v2`. `info.version` and CHANGELOG.md record each change.

A typed Python client is in the repository: `resume_tailor_client`.
"""

TAGS = [
    {"name": "jobs", "description": "One resume tailored to one posting: submit, poll, "
                                    "download, cancel."},
    {"name": "batches", "description": "Up to 500 jobs in one request, ranked by fit when "
                                       "they share one resume."},
    {"name": "reports", "description": "What a person reads beside a job or batch: the "
                                       "report so far, webhook deliveries."},
    {"name": "meta", "description": "What this server offers: templates, providers, limits."},
    {"name": "health", "description": "Probes for load balancers and orchestrators, metrics "
                                      "for Prometheus."},
]

# The JSON Resume models (pipeline/jsonresume.py) and where each stands in the JSON Resume
# schema; the schema's descriptions become theirs.
_RESUME_SECTIONS: dict[str, tuple[str, ...]] = {
    "Basics": ("basics",),
    "Location": ("basics", "location"),
    "Profile": ("basics", "profiles", "[]"),
    **{name: (section, "[]") for name, section in (
        ("Work", "work"), ("Volunteer", "volunteer"), ("Education", "education"),
        ("Award", "awards"), ("Certificate", "certificates"), ("Publication", "publications"),
        ("Skill", "skills"), ("Language", "languages"), ("Interest", "interests"),
        ("Reference", "references"), ("Project", "projects"))},
}

# What the JSON Resume schema leaves undescribed.
_RESUME_GAPS: dict[str, str] = {
    "Resume": "A JSON Resume document (v1.0.0); unknown keys are allowed and kept.",
    "Resume.basics": "Who you are and how to reach you.",
    "Resume.work": "Jobs held, most recent first.",
    "Resume.volunteer": "Volunteering, most recent first.",
    "Resume.education": "Schools, degrees and courses.",
    "Resume.interests": "Interests outside work.",
    "Basics": "Name, contact details, summary, location and online profiles.",
    "Basics.name": "Your full name, as the resume's heading shows it.",
    "Basics.location": "Where you live.",
    "Interest.keywords": "Keywords of the interest, e.g. Ferrets, Unicorns",
    "Location": "Where you live.",
    "Location.postalCode": "e.g. 94103",
    "Location.city": "e.g. San Francisco",
    "Profile": "One online profile.",
    "Work": "One job: employer, position, dates and achievements.",
    "Volunteer": "One volunteering position.",
    "Education": "One school, degree or course of study.",
    "Award": "One award.",
    "Certificate": "One certificate.",
    "Publication": "One publication.",
    "Skill": "One skill area with its keywords.",
    "Language": "One language you speak.",
    "Interest": "One interest with its keywords.",
    "Reference": "One reference.",
    "Project": "One project.",
}


def install(app: FastAPI) -> None:
    """Serve `build(app)` as the app's document, built once, on first use."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def build(app: FastAPI) -> dict[str, Any]:
    # A copy: FastAPI shares the routes' declared dicts with the document, which is changed
    # below.
    document = copy.deepcopy(get_openapi(
        title=app.title, version=API_VERSION, summary=app.summary, description=DESCRIPTION,
        routes=app.routes, webhooks=app.webhooks.routes, tags=TAGS,
        license_info={"name": "MIT", "identifier": "MIT"},
    ))
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    _drop_generic_422(document)
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    _add_problem(schemas)
    _describe_resume(schemas)
    _restore_examples(schemas)
    document["components"]["headers"] = copy.deepcopy(HEADERS)
    _declare_common_headers(document)
    return document


def _declare_common_headers(document: dict[str, Any]) -> None:
    """Every answer carries `X-Request-ID` (api.request_id); answers on rate-limited paths
    (api.rate_limit) carry the `RateLimit-*` headers while the limits are counted."""
    for path, item in document.get("paths", {}).items():
        limited = path.startswith(LIMITED_PREFIXES) and path not in EXEMPT_PATHS
        names = ("X-Request-ID", *(RATE_LIMIT_HEADERS if limited else ()))
        for operation in item.values():
            for answer in operation.get("responses", {}).values():
                headers = answer.setdefault("headers", {})
                for name in names:
                    headers.setdefault(name, {"$ref": HEADER_REF.format(name=name)})


def _models_with_examples() -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    pending: list[type[BaseModel]] = [BaseModel]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        extra = model.model_config.get("json_schema_extra")
        if isinstance(extra, dict) and "examples" in extra and model.__module__.startswith(
                ("api.", "pipeline.")):
            found[model.__name__] = model
    return found


def _restore_examples(schemas: dict[str, Any]) -> None:
    """FastAPI writes the document without null values, examples included; an event's
    `"error": null` is part of what a receiver gets, so the examples are put back whole."""
    for name, model in _models_with_examples().items():
        if name in schemas:
            extra = model.model_config.get("json_schema_extra")
            assert isinstance(extra, dict)
            schemas[name]["examples"] = extra["examples"]


def _drop_generic_422(document: dict[str, Any]) -> None:
    for item in document.get("paths", {}).values():
        for operation in item.values():
            answer = operation.get("responses", {}).get("422", {})
            schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
            if schema.get("$ref", "").endswith("/HTTPValidationError"):
                del operation["responses"]["422"]


def _add_problem(schemas: dict[str, Any]) -> None:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schema.pop("$defs", {}))
    schema["properties"]["type"]["examples"] = [t.uri for t in PROBLEM_TYPES.values()]
    schemas["Problem"] = schema


@cache
def _jsonresume_schema() -> dict[str, Any]:
    text = resources.files("pipeline.schema").joinpath("jsonresume.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def _section(path: tuple[str, ...]) -> dict[str, Any]:
    node = _jsonresume_schema()
    for step in path:
        node = node["items"] if step == "[]" else node["properties"][step]
    return node


def _describe_resume(schemas: dict[str, Any]) -> None:
    definitions = _jsonresume_schema().get("definitions", {})
    for name, path in {"Resume": (), **_RESUME_SECTIONS}.items():
        model = schemas.get(name)
        if model is None:
            continue
        source = _section(path)
        if "description" not in model:
            model["description"] = source.get("description") or _RESUME_GAPS[name]
        for prop, spec in model.get("properties", {}).items():
            if "description" in spec:
                continue
            original = source.get("properties", {}).get(prop, {})
            ref = original.get("$ref", "")
            text = (original.get("description")
                    or definitions.get(ref.rsplit("/", 1)[-1], {}).get("description")
                    or _RESUME_GAPS.get(f"{name}.{prop}"))
            if text:
                spec["description"] = text
