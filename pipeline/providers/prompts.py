"""Versioned prompt files in pipeline/prompts/: `<name>.v<N>.md`.

A file holds a `=== system ===` part and a `=== user ===` part. `{{var}}` placeholders are
filled in one pass over the template only, so text substituted in (a posting that itself
contains `{{resume}}`) is never expanded again. Untrusted text goes through `fence()`, which
wraps it in a tag block and defuses any copy of that tag inside it (spaced, split by invisible
characters or written with look-alike brackets too), so a posting cannot close its own block
and speak as the instructions.
"""

from __future__ import annotations

import re
import unicodedata
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


# What a model may read as a tag's `<` or `/`: the ASCII ones and their look-alikes
# (fullwidth, small form, angle brackets, fraction and division slashes).
_OPENERS = "<＜﹤‹〈〈⟨«"
_SLASHES = "/／⁄∕"


def _letter(ch: str) -> str:
    """A regex class for one ASCII letter of a tag, in either case, fullwidth too."""
    forms = {ch.lower(), ch.upper()}
    forms |= {chr(ord(f) + 0xFEE0) for f in list(forms) if f.isascii() and f.isalnum()}
    return "[" + "".join(re.escape(f) for f in sorted(forms)) + "]"


def fence(tag: str, text: str) -> str:
    """`<tag>text</tag>`, with anything inside the text that could read as `<tag>` or
    `</tag>` defused to `[tag]` / `[/tag]`.

    Invisible format characters (zero-width spaces and joiners, bidi controls) are removed
    first, and the match allows spaces and look-alike brackets, slashes and fullwidth
    letters, so `< /posting>`, `</post\u200bing>` or `＜／ｐｏｓｔｉｎｇ＞` cannot close the
    block either. The rest of the text is left as written.
    """
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    letters = r"\s*".join(_letter(ch) for ch in tag)
    closer = re.compile(rf"[{_OPENERS}]\s*([{_SLASHES}]?)\s*{letters}")
    defused = closer.sub(lambda m: f"[{'/' if m.group(1) else ''}{tag}]", text)
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
