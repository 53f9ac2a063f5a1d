"""Versioned prompt files in pipeline/prompts/: `<name>.v<N>.md`.

A file holds a `=== system ===` part and a `=== user ===` part. `{{var}}` placeholders are
filled in one pass over the template only, so text substituted in (a posting that itself
contains `{{resume}}`) is never expanded again. Untrusted text goes through `fence()`, which
wraps it in a tag block and defuses any copy of that tag inside it, so a posting cannot close
its own block and speak as the instructions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_FILE = re.compile(r"^(?P<name>[a-z_]+)\.v(?P<version>\d+)\.md$")
_VAR = re.compile(r"\{\{(\w+)\}\}")
_PART = re.compile(r"^=== (system|user) ===$", re.MULTILINE)


@dataclass(frozen=True)
class Prompt:
    name: str
    version: int
    system: str
    user: str

    @property
    def id(self) -> str:
        """What a job records as the prompt version: `rewrite_bullet@v1`."""
        return f"{self.name}@v{self.version}"

    def render(self, variables: dict[str, str]) -> tuple[str, str]:
        return _fill(self.system, variables), _fill(self.user, variables)


def _fill(template: str, variables: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            raise KeyError(f"prompt variable {name!r} not given")
        return variables[name]

    return _VAR.sub(value, template)


def fence(tag: str, text: str) -> str:
    """`<tag>text</tag>`, with any `<tag`/`</tag` inside the text defused."""
    defused = re.sub(rf"<(/?)\s*{re.escape(tag)}", r"‹\1" + tag, text, flags=re.IGNORECASE)
    return f"<{tag}>\n{defused}\n</{tag}>"


@cache
def _available() -> dict[str, dict[int, str]]:
    found: dict[str, dict[int, str]] = {}
    for entry in resources.files("pipeline").joinpath("prompts").iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.setdefault(match["name"], {})[int(match["version"])] = entry.read_text("utf-8")
    return found


def load_prompt(name: str, version: int | None = None) -> Prompt:
    """The named prompt at `version`, or its newest version."""
    versions = _available().get(name)
    if not versions:
        raise LookupError(f"no prompt named {name!r} in pipeline/prompts")
    chosen = max(versions) if version is None else version
    if chosen not in versions:
        raise LookupError(f"prompt {name!r} has no version {chosen}")
    return _parse(name, chosen, versions[chosen])


def _parse(name: str, version: int, text: str) -> Prompt:
    parts = _PART.split(text)
    # split() gives [preamble, "system", body, "user", body]
    bodies = dict(zip(parts[1::2], parts[2::2], strict=True))
    if set(bodies) != {"system", "user"}:
        raise ValueError(f"prompt {name}.v{version}: needs '=== system ===' and '=== user ==='")
    return Prompt(name, version, bodies["system"].strip(), bodies["user"].strip())
