"""Reading docker-compose.yml the way `docker compose` does: `.env`-style values interpolated
into every string (`${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `$$`),
YAML merge keys resolved, durations and health checks in a form a test can use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"

_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|(?P<plain>[A-Za-z_][A-Za-z0-9_]*))"
)
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(h|m|s|ms|us)")
_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6}


class InterpolationError(ValueError):
    pass


def read_dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for number, line in enumerate(path.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name.strip()):
            raise ValueError(f"{path.name}:{number}: not NAME=value")
        values[name.strip()] = value.strip()
    return values


def interpolate(text: str, values: Mapping[str, str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        if match["escaped"]:
            return "$"
        name = match["braced"] or match["plain"]
        op, arg = match["op"], match["arg"] or ""
        value = values.get(name)
        unset_or_empty = value is None or (value == "" and op is not None and op.startswith(":"))
        if op in (":-", "-") and (value is None if op == "-" else unset_or_empty):
            return arg
        if op in (":?", "?") and (value is None if op == "?" else unset_or_empty):
            raise InterpolationError(f"{name}: {arg or 'required'}")
        return value or ""

    return _VARIABLE.sub(substitute, text)


def _interpolate_all(node: Any, values: Mapping[str, str]) -> Any:
    if isinstance(node, str):
        return interpolate(node, values)
    if isinstance(node, list):
        return [_interpolate_all(item, values) for item in node]
    if isinstance(node, dict):
        return {key: _interpolate_all(value, values) for key, value in node.items()}
    return node


def load_compose(values: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The compose file with `values` (default: .env.example) interpolated."""
    raw = yaml.safe_load(COMPOSE_FILE.read_text())
    result: dict[str, Any] = _interpolate_all(raw, read_dotenv(ENV_EXAMPLE) if values is None
                                              else values)
    return result


def our_services(compose: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The services whose image this repository builds."""
    return {name: svc for name, svc in compose["services"].items() if "build" in svc}


def environment(service: Mapping[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # the `- NAME=value` form
        env = dict(item.split("=", 1) for item in env)
    return {name: "" if value is None else str(value) for name, value in env.items()}


def seconds(duration: str) -> float:
    """A compose duration (`1m30s`, `90s`) in seconds."""
    parts = _DURATION.findall(duration)
    if not parts or "".join(n + u for n, u in parts) != duration:
        raise ValueError(f"not a duration: {duration!r}")
    return sum(float(number) * _SECONDS[unit] for number, unit in parts)


def healthcheck_argv(service: Mapping[str, Any]) -> list[str]:
    """The health check's command as a process argv (`CMD` runs it, `CMD-SHELL` goes via sh)."""
    test = service["healthcheck"]["test"]
    if isinstance(test, str):
        return ["sh", "-c", test]
    kind, *rest = test
    if kind == "CMD":
        return list(rest)
    if kind == "CMD-SHELL":
        return ["sh", "-c", " ".join(rest)]
    raise ValueError(f"healthcheck.test: {kind!r} is not CMD or CMD-SHELL")
