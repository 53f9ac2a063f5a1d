"""Checks against the service's own OpenAPI document, shared by the in-process document tests
and the service tests that receive real webhooks."""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from api.app import create_app


@cache
def openapi_document() -> dict[str, Any]:
    return create_app().openapi()


def schema_errors(schema: dict[str, Any], value: Any) -> list[str]:
    """Why `value` does not validate against `schema` (its `$ref`s resolved in the
    document's components); empty when it does."""
    rooted = {**schema, "components": openapi_document()["components"]}
    checker = Draft202012Validator(rooted, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in checker.iter_errors(value)]


def webhook_errors(event_type: str, payload: Any, headers: dict[str, str]) -> list[str]:
    """Why a received webhook does not match the document's `webhooks[event_type]`."""
    webhooks = openapi_document()["webhooks"]
    if event_type not in webhooks:
        return [f"{event_type}: not in the document's webhooks ({', '.join(webhooks)})"]
    operation = webhooks[event_type]["post"]
    body_schema = operation["requestBody"]["content"]["application/json"]["schema"]
    errors = schema_errors(body_schema, payload)
    lowered = {name.lower(): value for name, value in headers.items()}
    for parameter in operation["parameters"]:
        value = lowered.get(parameter["name"])
        if value is None:
            errors.append(f"header {parameter['name']}: missing")
        else:
            errors += [f"header {parameter['name']}: {e}"
                       for e in schema_errors(parameter["schema"], value)]
    return errors
