"""The Kubernetes manifests under deploy/, as documents, and the checks they are held to."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BASE = DEPLOY / "base"
SCHEMAS = DEPLOY / "schemas"
# The oldest Kubernetes minor the manifests are meant for (PodDisruptionBudget policy/v1,
# seccompProfile fields, HPA behavior all older); kubernetes-validate ships its schemas.
KUBERNETES_VERSION = "1.30.0"
KEDA_SCHEMAS = {
    "ScaledObject": "keda-scaledobject.json",
    "TriggerAuthentication": "keda-triggerauthentication.json",
}
KUSTOMIZATION = "kustomization.yaml"


def documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def manifest_files() -> list[Path]:
    return sorted(p for p in BASE.rglob("*.yaml") if p.name != KUSTOMIZATION)


def resources() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, doc) for path in manifest_files() for doc in documents(path)]


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for _, doc in resources() if doc["kind"] == kind}


@cache
def _keda_validator(kind: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMAS / KEDA_SCHEMAS[kind]).read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def problems(doc: dict[str, Any]) -> list[str]:
    """Why `doc` is not a valid resource (empty when it is): Kubernetes' own schemas for
    built-in kinds, the schemas in deploy/schemas for KEDA's."""
    if doc.get("apiVersion", "").startswith("keda.sh/"):
        validator = _keda_validator(doc["kind"])
        return [f"{'.'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
                for error in validator.iter_errors(doc)]
    try:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as error:
        return [f"{'.'.join(map(str, error.path)) or '(root)'}: {error.message}"]
    return []


def pod_spec(doc: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = doc["spec"]["template"]["spec"]
    return spec


def redis_queue_key(prefix: str, queue: str) -> str:
    """The Redis list a Redis-broker queue lives in: the queue's name already carries
    RT_KEY_PREFIX (workers.settings.Settings.queue_name) and kombu's `global_keyprefix`
    prepends it again to every key."""
    return f"{prefix}{prefix}{queue}"
