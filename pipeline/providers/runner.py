"""One provider, made dependable: cache → breaker → retried call → validate → one repair.

`ProviderRunner.ask` renders a versioned prompt, returns a cached answer when one exists for
this provider, model, prompt version and exact request, and otherwise calls the model under the
retry policy and the provider's circuit breaker. The answer must be JSON for the pydantic
`output` model; an answer that is not gets one repair turn, then `BadAnswer` (the fallback
chain moves on). Every request's tokens go to the job's `UsageMeter`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from pipeline.errors import ProviderError, Transient
from pipeline.providers.base import BadAnswer, ChatAnswer, ChatClient, ChatRequest
from pipeline.providers.breaker import BreakerState, CircuitBreaker
from pipeline.providers.cache import DEFAULT_TTL_S, AnswerStore, cache_key
from pipeline.providers.prompts import Prompt, load_prompt
from pipeline.providers.retry import RetryPolicy, call_with_retries
from pipeline.providers.usage import UsageMeter

M = TypeVar("M", bound=BaseModel)
_FENCE = re.compile(r"^```(?:json)?\s*(.*?)\s*```$", re.DOTALL)


class ProviderUnavailable(Transient):
    """Skipped without a request: the provider's circuit breaker is open."""


@dataclass(frozen=True)
class Answered(Generic[M]):
    value: M
    provider: str
    model: str
    prompt_version: str
    cached: bool = False


class ProviderRunner:
    def __init__(
        self,
        client: ChatClient,
        *,
        breaker: CircuitBreaker,
        retry: RetryPolicy | None = None,
        cache: AnswerStore | None = None,
        cache_ttl_s: int = DEFAULT_TTL_S,
    ) -> None:
        self.client = client
        self.breaker = breaker
        self._retry = retry or RetryPolicy()
        self._cache = cache
        self._cache_ttl_s = cache_ttl_s

    @property
    def name(self) -> str:
        return self.client.name

    @property
    def model(self) -> str:
        return self.client.model

    def ask(
        self,
        prompt: Prompt,
        variables: dict[str, str],
        output: type[M],
        meter: UsageMeter,
        *,
        max_tokens: int = 512,
    ) -> Answered[M]:
        schema = output.model_json_schema()
        system, user = prompt.render({**variables, "schema": json.dumps(schema)})
        request = ChatRequest(system, user, output.__name__, schema, max_tokens=max_tokens)
        key = cache_key(self.name, self.model, prompt.id, f"{system}\x00{user}")
        if (hit := self._cached(key, output)) is not None:
            value, model = hit
            meter.record(self.name, model, prompt.id, requests=0)
            return Answered(value, self.name, model, prompt.id, cached=True)
        if not self.breaker.allow():
            raise ProviderUnavailable(f"{self.name}: circuit open, skipped")
        answer = self._call(request, prompt, meter)
        try:
            value = parse_answer(answer.text, output)
        except BadAnswer as first:
            answer = self._call(_repair_request(request, first), prompt, meter)
            value = parse_answer(answer.text, output)  # a second BadAnswer propagates
        if self._cache is not None:
            # The model that answered is kept with the answer: provenance stays exact on a hit.
            entry = json.dumps({"model": answer.model, "value": value.model_dump(mode="json")})
            self._cache.set(key, entry, self._cache_ttl_s)
        return Answered(value, self.name, answer.model, prompt.id)

    def _cached(self, key: str, output: type[M]) -> tuple[M, str] | None:
        if self._cache is None:
            return None
        text = self._cache.get(key)
        if text is None:
            return None
        try:
            entry = json.loads(text)
            return output.model_validate(entry["value"]), str(entry["model"])
        except (ValueError, TypeError, KeyError, ValidationError):
            return None  # written by an older output model or format: ask again

    def _call(self, request: ChatRequest, prompt: Prompt, meter: UsageMeter) -> ChatAnswer:
        answer = call_with_retries(
            lambda: self._attempt(request), self._retry,
            give_up=lambda: self.breaker.state() is BreakerState.open,
        )
        meter.record(
            self.name,
            answer.model,
            prompt.id,
            input_tokens=answer.input_tokens,
            output_tokens=answer.output_tokens,
        )
        return answer

    def _attempt(self, request: ChatRequest) -> ChatAnswer:
        """One request. The breaker sees every attempt, so the failures of concurrent
        bullets open it within one round of timeouts rather than after all their retries."""
        try:
            answer = self.client.complete(request)
        except BadAnswer:
            raise  # the service is up; the model is sloppy: not the breaker's business
        except (Transient, ProviderError):
            self.breaker.record_failure()
            raise
        self.breaker.record_success()
        return answer


def parse_answer(text: str, output: type[M]) -> M:
    """The answer as `output`, tolerating code fences and prose around one JSON object."""
    body = text.strip()
    if fenced := _FENCE.match(body):
        body = fenced.group(1)
    if not body.startswith("{"):
        start, end = body.find("{"), body.rfind("}")
        if start < 0 or end <= start:
            raise BadAnswer("the answer holds no JSON object", answer=text)
        body = body[start : end + 1]
    try:
        return output.model_validate(json.loads(body))
    except json.JSONDecodeError as exc:
        raise BadAnswer(f"the answer is not valid JSON ({exc.msg})", answer=text) from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'answer'}: {err['msg']}"
            for err in exc.errors()[:5]
        )
        raise BadAnswer(f"the answer does not match the schema ({problems})", answer=text) from exc


def _repair_request(request: ChatRequest, failure: BadAnswer) -> ChatRequest:
    _, complaint = load_prompt("repair_json").render({"error": str(failure)})
    prior = (("assistant", failure.answer[:4000] or "(empty)"), ("user", complaint))
    return ChatRequest(
        request.system,
        request.user,
        request.schema_name,
        request.schema,
        max_tokens=request.max_tokens,
        temperature=request.temperature,
        prior=prior,
    )
