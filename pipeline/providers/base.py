"""What every AI provider adapter speaks: one chat request in, one text answer out.

Adapters (OpenAI, Anthropic) translate their SDK's failures into the pipeline's two error
kinds so the layers above never import an SDK:
- `Transient` (429, 5xx, timeouts, connection errors): retried, and counted by the breaker;
- `ProviderError` (other 4xx, an unusable answer): not retried.
`BadAnswer` is the narrow case "the model answered, but not what the schema asks": it gets one
repair attempt and never trips the breaker (the service is up, the model is just sloppy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

from pipeline.errors import ProviderError


class BadAnswer(ProviderError):
    """The model's answer is not valid JSON for the requested schema."""

    def __init__(self, message: str, *, answer: str = "") -> None:
        self.answer = answer
        super().__init__(message)


@dataclass(frozen=True)
class ChatRequest:
    """A provider-neutral request: a system prompt, one user turn, and the answer's schema.

    `prior` carries an earlier exchange (the model's bad answer and our complaint) for the
    repair attempt.
    """

    system: str
    user: str
    schema_name: str
    schema: dict[str, Any]
    max_tokens: int = 512
    # None: the server's default. Reasoning models reject any other temperature, and
    # Anthropic's current API has no such knob.
    temperature: float | None = None
    prior: tuple[tuple[str, str], ...] = field(default=())  # (role, content) after the user turn


@dataclass(frozen=True)
class ChatAnswer:
    text: str  # the JSON text of the answer (tool input re-serialised for Anthropic)
    model: str  # the model that answered, as the server reports it
    input_tokens: int = 0
    output_tokens: int = 0


class ChatClient(Protocol):
    """One configured provider: a name ("openai"), a model, and a blocking call."""

    @property
    def name(self) -> str: ...

    @property
    def model(self) -> str: ...

    def complete(self, request: ChatRequest) -> ChatAnswer: ...


def parse_retry_after(headers: Any, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from `retry-after-ms` or `Retry-After` (seconds or an HTTP date)."""
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def is_retryable_status(status: int) -> bool:
    # 408 (request timeout) and 409 (lock conflict) are transient by the providers' own docs.
    return status in (408, 409, 429) or status >= 500
