"""Near-duplicates in the skills section: "APIs" beside "REST APIs", "CI/CD" beside
"CI/CD pipelines". The longer keeps the shorter's words (an ATS searching for "APIs" still
finds them), so the shorter only costs room on the page."""

from __future__ import annotations

import re
from collections.abc import Sequence


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def contains(longer: str, shorter: str) -> bool:
    """`shorter` stands in `longer` as whole words (a plural "s" allowed after it): "APIs" in
    "REST APIs", "API" in "REST APIs", not "C" in "Objective-C" or "C++", "Java" in
    "JavaScript"."""
    big, small = _normal(longer), _normal(shorter)
    if not small or big == small:
        return False
    pattern = r"(?<![\w+#.-])" + re.escape(small) + r"(?:e?s)?(?![\w+#-]|\.\w)"
    return re.search(pattern, big) is not None


def near_duplicates(texts: Sequence[str]) -> dict[int, str]:
    """Index of each keyword another one contains → that one (the first such, longest
    first); exact repeats after the first are duplicates of it too."""
    out: dict[int, str] = {}
    seen: dict[str, int] = {}
    by_length = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    for i, text in enumerate(texts):
        key = _normal(text)
        if key in seen:
            out[i] = texts[seen[key]]
            continue
        seen[key] = i
        container = next((texts[j] for j in by_length if contains(texts[j], text)), None)
        if container is not None:
            out[i] = container
    return out
