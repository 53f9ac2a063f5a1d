"""Rewrite-stage latency against a model server that answers after a fixed delay.

Bullets of one resume are rewritten concurrently (bounded), so the stage should cost about
ceil(bullets / concurrency) round trips, not one per bullet. The server is the tests' fake
LLM server on loopback (real HTTP, the real OpenAI SDK), answering every request after
DELAY_S; the printed multiple is wall time over one measured round trip.
"""

from __future__ import annotations

import math
import statistics
import time

from pipeline.models import Tone
from pipeline.providers.ai_rewriter import AIRewriter
from pipeline.providers.breaker import CircuitBreaker, MemoryBreakerStore
from pipeline.providers.config import ProviderConfig
from pipeline.providers.fallback import ProviderChain
from pipeline.providers.openai_provider import OpenAIChat
from pipeline.providers.retry import RetryPolicy
from pipeline.providers.runner import ProviderRunner
from pipeline.rewrite.rewriter import BulletRequest
from tests.fakes.llm_server import FakeLLMServer, RecordedRequest, Reply

DELAY_S = 0.2
SIZES = (10, 30, 60)
CONCURRENCY = ProviderConfig().concurrency  # the shipped default
POSTING = "Senior Backend Engineer\nRequirements:\n- Python, PostgreSQL, Redis\n" * 20


def _answer(request: RecordedRequest) -> Reply:
    return Reply.ok({"bullet": (request.block("line") or "").replace("Built", "Developed")})


def _rewriter(server: FakeLLMServer, concurrency: int) -> AIRewriter:
    client = OpenAIChat(model="bench-model", api_key="k", base_url=server.openai_base_url)
    runner = ProviderRunner(
        client,
        breaker=CircuitBreaker("openai", MemoryBreakerStore()),
        retry=RetryPolicy(max_attempts=1),
        cache=None,  # every bullet must really go out
    )
    return AIRewriter(ProviderChain([runner]), concurrency=concurrency)


def _requests(count: int, run: int) -> list[BulletRequest]:
    return [
        BulletRequest(
            path=f"work[0].highlights[{i}]", source_path=f"work[0].highlights[{i}]",
            text=f"Built service {run}-{i} in Python", source=f"Built service {run}-{i} in Python",
            context="Backend Engineer at Acme", terms=("Python",), posting=POSTING,
            tone=Tone.neutral,
        )
        for i in range(count)
    ]


def _timed(rewriter: AIRewriter, requests: list[BulletRequest]) -> float:
    started = time.perf_counter()
    rewriter.rewrite_bullets(requests)
    return time.perf_counter() - started


def main() -> None:
    with FakeLLMServer(delay_s=DELAY_S) as server:
        server.respond_with(_answer)
        rewriter = _rewriter(server, CONCURRENCY)
        _timed(rewriter, _requests(1, -1))  # warm up: imports, connection pool
        round_trip = statistics.median(_timed(rewriter, _requests(1, -2 - i)) for i in range(3))
        print(f"server delay {DELAY_S * 1000:.0f} ms, one round trip {round_trip * 1000:.0f} ms,"
              f" concurrency {CONCURRENCY}")
        print(f"{'bullets':>8} {'seconds':>8} {'x round trip':>13} {'ideal':>6} {'sequential':>11}")
        for run, size in enumerate(SIZES):
            elapsed = _timed(rewriter, _requests(size, run))
            ideal = math.ceil(size / CONCURRENCY)
            print(f"{size:>8} {elapsed:>8.2f} {elapsed / round_trip:>13.2f} {ideal:>6}"
                  f" {size:>11}")
        sequential = _timed(_rewriter(server, 1), _requests(SIZES[0], 99))
        print(f"for comparison, {SIZES[0]} bullets one at a time: {sequential:.2f} s "
              f"({sequential / round_trip:.1f} round trips)")


if __name__ == "__main__":
    main()
