"""Checks every submit runs before anything is written, and the request fingerprint that
makes `Idempotency-Key` safe to reuse."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from api.errors import ApiProblem, FieldError, invalid
from pipeline.compile.render import list_templates
from pipeline.errors import InvalidInput
from pipeline.inputs import posting_to_text
from pipeline.jsonresume import Resume
from pipeline.schema import is_valid_fast, validate_jsonresume
from workers.settings import Settings
from workers.webhooks.targets import (
    UnsafeURL,
    guard_options,
    resolve_target,
    resolve_target_async,
)

MAX_IDEMPOTENCY_KEY = 255


def checked_resume(resume: Resume, field: str = "resume") -> dict[str, Any]:
    """The resume as stored, after the JSON Resume schema's second opinion (the pydantic
    models already checked types and dates while parsing the request)."""
    data = resume.to_json_dict()
    try:
        validate_jsonresume(data, field=field)
    except InvalidInput as exc:
        path = exc.field if exc.field == field else f"{field}.{exc.field}"
        raise invalid(path, exc.reason) from None
    return data


def posting_text(posting: str, field: str = "posting") -> str:
    """The posting as stored: HTML reduced to lines, whitespace normalised (Markdown kept, its
    headings and bullets are what the parse stage reads sections from), exactly as the CLI
    reads a posting file. Refuses a posting with no text in it (HTML with only tags, say)."""
    try:
        return posting_to_text(posting)
    except InvalidInput as exc:
        raise invalid(field, exc.reason) from None


@lru_cache(maxsize=1)
def known_templates() -> tuple[str, ...]:
    # The templates ship inside the package, so the list cannot change while we run.
    return tuple(name for name, _ in list_templates())


def check_template(template: str, field: str = "template") -> None:
    """An unknown template fails now, not minutes later in the compile stage."""
    if template not in known_templates():
        raise invalid(field, f"unknown template {template!r} (known: "
                             f"{', '.join(known_templates())})")


def check_provider(provider: str, settings: Settings, field: str = "provider") -> None:
    """An AI provider with no key or base URL configured fails now, not in the parse stage
    (the workers read the same settings)."""
    try:
        settings.provider_config().order(provider)
    except InvalidInput as exc:
        raise invalid(field, exc.reason) from None


def check_webhook_url(url: str | None, settings: Settings, field: str = "webhook_url") -> None:
    """The SSRF guard at submit (blocks up to `webhook_dns_timeout_s`: for sync routes)."""
    if url is None:
        return
    try:
        resolve_target(url, **guard_options(settings))
    except UnsafeURL as exc:
        raise invalid(field, str(exc)) from None


async def check_webhook_url_async(
    url: str | None, settings: Settings, field: str = "webhook_url"
) -> None:
    """`check_webhook_url` for the event loop: the lookup runs in the guard's own threads."""
    if url is None:
        return
    try:
        await resolve_target_async(url, **guard_options(settings))
    except UnsafeURL as exc:
        raise invalid(field, str(exc)) from None


def warm() -> None:
    """Load what the first submit would otherwise load (templates, the compiled schema
    check), so the process can freeze it for the garbage collector."""
    known_templates()
    is_valid_fast({})


def check_idempotency_key(key: str | None) -> None:
    if key is None:
        return
    if not key or len(key) > MAX_IDEMPOTENCY_KEY or not key.isprintable():
        raise invalid("header.Idempotency-Key",
                      f"must be 1 to {MAX_IDEMPOTENCY_KEY} printable characters")


def request_hash(body: BaseModel) -> str:
    """SHA-256 of the request as validated, in a canonical form (sorted keys)."""
    canonical = json.dumps(body.model_dump(mode="json", exclude_none=True), sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotency_conflict() -> ApiProblem:
    message = "this key was used with a different request body; use a new key"
    return ApiProblem(
        422, "Idempotency key reused", message, slug="idempotency-key-reused",
        errors=[FieldError(field="header.Idempotency-Key", message=message)],
    )
