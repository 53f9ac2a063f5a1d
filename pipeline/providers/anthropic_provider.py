"""Anthropic Messages API through the official SDK (also any server speaking it, by base URL).

Structured output by forced tool use: the answer's schema is the one tool's `input_schema` and
`tool_choice` names it, so the model must answer with arguments matching the schema. A server
or model that answers in text instead still works: the text is handed on to be parsed and
repaired like any other answer.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import anthropic

from pipeline.errors import ProviderError, Transient
from pipeline.providers.base import (
    BadAnswer,
    ChatAnswer,
    ChatRequest,
    is_retryable_status,
    parse_retry_after,
)

StructuredMode = Literal["tool", "none"]
# Passed explicitly: given None, the SDK would read ANTHROPIC_BASE_URL itself.
OFFICIAL_BASE_URL = "https://api.anthropic.com"


class AnthropicChat:
    """A `ChatClient` over `anthropic.Anthropic`. Its own retries are off: ours is the one."""

    def __init__(
        self,
        *,
        model: str,
        api_key: str | None,
        base_url: str | None = None,
        timeout_s: float = 30.0,
        structured: StructuredMode = "tool",
        name: str = "anthropic",
    ) -> None:
        self._name = name
        self._model = model
        self._structured: StructuredMode = structured
        self._client = anthropic.Anthropic(
            api_key=api_key or "not-needed",
            base_url=base_url or OFFICIAL_BASE_URL,
            timeout=timeout_s,
            max_retries=0,
        )

    @property
    def name(self) -> str:
        return self._name

    @property
    def model(self) -> str:
        return self._model

    def complete(self, request: ChatRequest) -> ChatAnswer:
        try:
            response = self._client.messages.create(
                model=self._model,
                system=request.system,
                messages=_messages(request),
                max_tokens=request.max_tokens,
                **_tools(self._structured, request),
            )
        except anthropic.APIStatusError as exc:
            raise _status_error(self._name, exc) from exc
        except anthropic.APIConnectionError as exc:  # includes APITimeoutError
            raise Transient(f"{self._name}: {type(exc).__name__}: {exc}") from exc
        except anthropic.APIError as exc:
            raise ProviderError(f"{self._name}: {exc}") from exc
        return _answer(response, self._model)


def _messages(request: ChatRequest) -> list[Any]:
    messages: list[dict[str, str]] = [{"role": "user", "content": request.user}]
    messages.extend({"role": role, "content": content} for role, content in request.prior)
    return messages


def _tools(mode: StructuredMode, request: ChatRequest) -> dict[str, Any]:
    if mode == "none":
        return {}
    tool = {
        "name": request.schema_name,
        "description": "Record the answer. Always answer by calling this tool.",
        "input_schema": request.schema,
    }
    return {"tools": [tool], "tool_choice": {"type": "tool", "name": request.schema_name}}


def _status_error(name: str, exc: anthropic.APIStatusError) -> Exception:
    status = exc.status_code
    if is_retryable_status(status):  # 529 "overloaded" included
        return Transient(
            f"{name}: HTTP {status}", retry_after=parse_retry_after(exc.response.headers)
        )
    return ProviderError(f"{name}: HTTP {status}: {exc.message}")


def _answer(response: Any, model: str) -> ChatAnswer:
    text = ""
    for block in response.content or []:
        kind = getattr(block, "type", None)
        if kind == "tool_use":
            text = json.dumps(block.input)
            break
        if kind == "text":
            text += block.text
    if not text:
        raise BadAnswer("the answer has neither a tool call nor text")
    usage = response.usage
    return ChatAnswer(
        text=text,
        model=response.model or model,
        input_tokens=(usage.input_tokens or 0) if usage else 0,
        output_tokens=(usage.output_tokens or 0) if usage else 0,
    )
