"""OpenAI Chat Completions through the official SDK; also any OpenAI-compatible server
(vLLM, Ollama, llama.cpp, LM Studio) by base URL.

Structured output: a JSON schema in `response_format` where the server takes it. Servers that
reject it with a 400 naming `response_format` are downgraded once, for this client's life, to
`json_object` and then to plain text (the prompt carries the schema either way, and the runner
validates and repairs), so a small local model without JSON mode still works.
"""

from __future__ import annotations

import threading
from typing import Any

import openai

from pipeline.errors import ProviderError, Transient
from pipeline.providers.base import (
    BadAnswer,
    ChatAnswer,
    ChatRequest,
    is_retryable_status,
    parse_retry_after,
)
from pipeline.providers.config import JsonMode

# Passed explicitly: given None, the SDK would read OPENAI_BASE_URL itself, and the pipeline
# takes its configuration from the caller only.
OFFICIAL_BASE_URL = "https://api.openai.com/v1"
_DOWNGRADE: dict[JsonMode, JsonMode] = {"schema": "object", "object": "none"}


class OpenAIChat:
    """A `ChatClient` over `openai.OpenAI`. Its own retries are off: ours is the one policy."""

    def __init__(
        self,
        *,
        model: str,
        api_key: str | None,
        base_url: str | None = None,
        timeout_s: float = 30.0,
        json_mode: JsonMode = "schema",
        name: str = "openai",
    ) -> None:
        self._name = name
        self._model = model
        self._json_mode: JsonMode = json_mode
        # api.openai.com wants max_completion_tokens (reasoning models refuse max_tokens);
        # OpenAI-compatible servers have long known only max_tokens.
        official = base_url in (None, "", OFFICIAL_BASE_URL)
        self._tokens_param = "max_completion_tokens" if official else "max_tokens"
        self._lock = threading.Lock()
        # Local servers ignore the key, but the SDK insists on one.
        self._client = openai.OpenAI(
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

    @property
    def json_mode(self) -> JsonMode:
        return self._json_mode

    def complete(self, request: ChatRequest) -> ChatAnswer:
        while True:
            mode = self._json_mode
            try:
                response = self._client.chat.completions.create(
                    model=self._model,
                    messages=_messages(request),
                    **self._options(request, mode),
                )
            except openai.BadRequestError as exc:
                if mode != "none" and _mentions_response_format(exc):
                    self._downgrade(mode)
                    continue
                raise ProviderError(f"{self._name}: request rejected (400): {exc.message}") from exc
            except openai.APIStatusError as exc:
                raise _status_error(self._name, exc) from exc
            except openai.APIConnectionError as exc:  # includes APITimeoutError
                raise Transient(f"{self._name}: {type(exc).__name__}: {exc}") from exc
            except openai.APIError as exc:
                raise ProviderError(f"{self._name}: {exc}") from exc
            return _answer(response, self._model)

    def _options(self, request: ChatRequest, mode: JsonMode) -> dict[str, Any]:
        options: dict[str, Any] = {self._tokens_param: request.max_tokens}
        if request.temperature is not None:
            options["temperature"] = request.temperature
        return options | _response_format(mode, request)

    def _downgrade(self, mode: JsonMode) -> None:
        with self._lock:
            if self._json_mode == mode:
                self._json_mode = _DOWNGRADE[mode]


def _messages(request: ChatRequest) -> list[Any]:
    messages: list[dict[str, str]] = [
        {"role": "system", "content": request.system},
        {"role": "user", "content": request.user},
    ]
    messages.extend({"role": role, "content": content} for role, content in request.prior)
    return messages


def _response_format(mode: JsonMode, request: ChatRequest) -> dict[str, Any]:
    if mode == "schema":
        return {
            "response_format": {
                "type": "json_schema",
                # strict mode would demand every property required and no defaults; the
                # runner validates with pydantic anyway.
                "json_schema": {"name": request.schema_name, "schema": request.schema},
            }
        }
    if mode == "object":
        return {"response_format": {"type": "json_object"}}
    return {}


def _mentions_response_format(exc: openai.BadRequestError) -> bool:
    text = f"{exc.message} {exc.body}".lower()
    return "response_format" in text or "json_schema" in text


def _status_error(name: str, exc: openai.APIStatusError) -> Exception:
    status = exc.status_code
    if is_retryable_status(status):
        return Transient(
            f"{name}: HTTP {status}", retry_after=parse_retry_after(exc.response.headers)
        )
    return ProviderError(f"{name}: HTTP {status}: {exc.message}")


def _answer(response: Any, model: str) -> ChatAnswer:
    if not response.choices:
        raise BadAnswer("the answer has no choices")
    content = response.choices[0].message.content or ""
    usage = response.usage
    return ChatAnswer(
        text=content,
        model=response.model or model,
        input_tokens=(usage.prompt_tokens or 0) if usage else 0,
        output_tokens=(usage.completion_tokens or 0) if usage else 0,
    )
