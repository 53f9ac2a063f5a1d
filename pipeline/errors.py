"""The pipeline's error types. Callers map them: the CLI to exit codes, the API to
problem+json, the workers to retry-or-fail."""

from __future__ import annotations

import re

# Line breaks and other control characters, and surrogates (a terminal cannot print one).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class PipelineError(Exception):
    """Base class of every error the pipeline raises on purpose."""


class InvalidInput(PipelineError):
    """Permanent: the input is wrong and the user must fix it. Never retried.

    `field` names where the problem is (`work[2].startDate`, `posting`), so the message
    can point at it.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        # The field and message quote the input (a key, a value): escaped, so the error stays
        # one printable line whatever the input holds.
        self.field = _printable(field) if field is not None else None
        self.reason = _printable(message)
        super().__init__(f"{self.field}: {self.reason}" if self.field else self.reason)


class Transient(PipelineError):
    """A failure that may pass if tried again (a provider's 429/5xx, a timeout)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class CompileError(PipelineError):
    """LaTeX failed or could not fit the page. Keeps the tail of the TeX log."""

    def __init__(self, message: str, *, log: str = "") -> None:
        self.log = log
        super().__init__(message)


class ProviderError(PipelineError):
    """An AI provider answered but the answer is unusable (bad JSON after repair, 4xx)."""
