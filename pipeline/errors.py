"""The pipeline's error types. Callers map them: the CLI to exit codes, the API to
problem+json, the workers to retry-or-fail."""

from __future__ import annotations


class PipelineError(Exception):
    """Base class of every error the pipeline raises on purpose."""


class InvalidInput(PipelineError):
    """Permanent: the input is wrong and the user must fix it. Never retried.

    `field` names where the problem is (`work[2].startDate`, `posting`), so the message
    can point at it.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        self.reason = message
        super().__init__(f"{field}: {message}" if field else message)


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
