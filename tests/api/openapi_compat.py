"""What in a change of the OpenAPI document would break a client written against the old one
(docs/api.md, "Versioning"): removed operations, webhooks, schemas or fields; a field whose
type changed; a request field or parameter newly required; credentials newly required by an
operation (`security` added, or no longer optional); an enum value a request could send that
is no longer accepted. Adding is never breaking: new operations, optional fields, enum
values in answers (documented as open)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class Breaking:
    subject: str  # what CHANGELOG.md must name: "JobOut.state", "GET /v1/jobs/{job_id}"
    what: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.what}"


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            yield ref.rsplit("/", 1)[1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _reachable(document: dict[str, Any], roots: list[Any]) -> set[str]:
    schemas = document.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    pending = [name for root in roots for name in _refs(root)]
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending.extend(_refs(schemas.get(name, {})))
    return seen


def _operations(document: dict[str, Any], section: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document.get(section, {}).items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def request_schemas(document: dict[str, Any]) -> set[str]:
    """Schemas a client sends: request bodies and parameters of the API's operations."""
    return _reachable(document, [[op.get("requestBody"), op.get("parameters")]
                                 for _, op in _operations(document, "paths")])


def answer_schemas(document: dict[str, Any]) -> set[str]:
    """Schemas a client reads: the API's answers and the webhook events it receives."""
    roots: list[Any] = [op.get("responses") for _, op in _operations(document, "paths")]
    roots += [op.get("requestBody") for _, op in _operations(document, "webhooks")]
    return _reachable(document, roots)


def shape(spec: dict[str, Any]) -> str:
    """A field's type, ignoring descriptions, examples, formats and bounds."""
    if "$ref" in spec:
        return spec["$ref"].rsplit("/", 1)[1]
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in spec:
            return f"{combinator}({'|'.join(sorted(shape(s) for s in spec[combinator]))})"
    kind = spec.get("type", "any")
    if kind == "array":
        return f"array[{shape(spec.get('items', {}))}]"
    extra = spec.get("additionalProperties")
    if kind == "object" and isinstance(extra, dict):
        return f"object[{shape(extra)}]"
    return str(kind)


def _enum(spec: dict[str, Any]) -> set[Any]:
    values = set(spec.get("enum", []))
    if "const" in spec:
        values.add(spec["const"])
    return values


def _anonymous(operation: dict[str, Any]) -> bool:
    """Callable without a credential: no `security`, or one that lists `{}`."""
    security = operation.get("security")
    return not security or {} in security


def breaking_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Breaking]:
    found: list[Breaking] = []
    for section, label in (("paths", ""), ("webhooks", "webhook ")):
        current = dict(_operations(new, section))
        for name, operation in _operations(old, section):
            if name not in current:
                found.append(Breaking(f"{label}{name}", "removed"))
                continue
            if _anonymous(operation) and not _anonymous(current[name]):
                found.append(Breaking(f"{label}{name}", "credentials newly required"))
            was = {p["name"] for p in operation.get("parameters", []) if p.get("required")}
            for parameter in current[name].get("parameters", []):
                if parameter.get("required") and parameter["name"] not in was:
                    found.append(Breaking(f"{label}{name}",
                                          f"parameter {parameter['name']} newly required"))
    old_schemas = old.get("components", {}).get("schemas", {})
    new_schemas = new.get("components", {}).get("schemas", {})
    sent, read = request_schemas(old), answer_schemas(old)
    for name in sorted(sent | read):
        before = old_schemas.get(name, {})
        after = new_schemas.get(name)
        if after is None:
            found.append(Breaking(name, "schema removed"))
            continue
        dropped = _enum(before) - _enum(after)
        if name in sent and dropped:
            found.append(Breaking(name, f"no longer accepts {sorted(dropped)}"))
        fields = after.get("properties", {})
        for field, spec in before.get("properties", {}).items():
            subject = f"{name}.{field}"
            if field not in fields:
                found.append(Breaking(subject, "field removed"))
            elif shape(spec) != shape(fields[field]):
                found.append(Breaking(subject, f"type {shape(spec)} → {shape(fields[field])}"))
            elif name in sent and _enum(spec) - _enum(fields[field]):
                found.append(Breaking(subject, "no longer accepts "
                                               f"{sorted(_enum(spec) - _enum(fields[field]))}"))
        if name in sent:
            for field in sorted(set(after.get("required", [])) - set(before.get("required", []))):
                found.append(Breaking(f"{name}.{field}", "newly required in a request"))
    return found


def differences(old: Any, new: Any, where: str = "") -> Iterator[str]:
    """Every place the two documents differ, for the failure message."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            here = f"{where}/{key}"
            if key not in new:
                yield f"- {here}"
            elif key not in old:
                yield f"+ {here}"
            else:
                yield from differences(old[key], new[key], here)
    elif old != new:
        yield f"~ {where or '/'}"
