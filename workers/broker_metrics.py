"""Metrics read from Redis when Prometheus scrapes: each queue's length, the messages taken but
not acknowledged, and the state of each AI provider's circuit breaker. They describe the
whole deployment, not one process, so one kind of process serves them (the API's /metrics);
every API replica shows the same values, which dashboards take the `max` of.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

import redis
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from pipeline.providers.breaker import BreakerState
from pipeline.providers.config import PROVIDERS
from pipeline.providers.fallback import LOCAL
from workers.breaker_store import RedisBreakerStore
from workers.metrics import PREFIX
from workers.settings import QUEUES, Settings

log = logging.getLogger(__name__)

# A scrape must answer even when Redis does not: Prometheus' default scrape timeout is 10 s.
SCRAPE_TIMEOUT_S = 2.0
# kombu's hash of delivered, unacknowledged messages (its `unacked_key`).
UNACKED_KEY = "unacked"


def queue_list_key(settings: Settings, queue: str) -> str:
    """The Redis list a queue's waiting messages are in: the queue name carries
    RT_KEY_PREFIX (Settings.queue_name) and kombu's `global_keyprefix` prepends it again to
    every key. KEDA's `listName` in deploy/ follows the same rule."""
    return f"{settings.key_prefix}{settings.queue_name(queue)}"


def is_redis(url: str) -> bool:
    return url.startswith(("redis://", "rediss://"))


def _timed_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=SCRAPE_TIMEOUT_S,
                                socket_connect_timeout=SCRAPE_TIMEOUT_S)


class QueueCollector:
    """`resume_tailor_queue_length{queue}` (LLEN of each queue's list),
    `resume_tailor_queue_unacked_messages` and `resume_tailor_broker_up`. Redis brokers only:
    with RabbitMQ, its own exporter reports queue depths."""

    def __init__(self, settings: Settings,
                 client: Callable[[], redis.Redis] | None = None) -> None:
        self._settings = settings
        self._client_factory = client or (lambda: _timed_client(settings.broker_url))
        self._client: redis.Redis | None = None

    def _families(self) -> tuple[GaugeMetricFamily, GaugeMetricFamily, GaugeMetricFamily]:
        return (
            GaugeMetricFamily(f"{PREFIX}queue_length",
                              "Messages waiting in each queue's Redis list", labels=["queue"]),
            GaugeMetricFamily(f"{PREFIX}queue_unacked_messages",
                              "Messages delivered to a worker and not acknowledged yet "
                              "(running, prefetched, or held by a worker that died)"),
            GaugeMetricFamily(f"{PREFIX}broker_up",
                              "1 when the broker's Redis answered this scrape, else 0"),
        )

    def describe(self) -> Iterator[Metric]:
        yield from self._families()

    def collect(self) -> Iterator[Metric]:
        if not is_redis(self._settings.broker_url):
            return
        lengths, unacked, up = self._families()
        try:
            if self._client is None:
                self._client = self._client_factory()
            pipe = self._client.pipeline(transaction=False)
            for queue in QUEUES:
                pipe.llen(queue_list_key(self._settings, queue))
            pipe.hlen(f"{self._settings.key_prefix}{UNACKED_KEY}")
            *counts, held = pipe.execute()
        except redis.RedisError as exc:
            log.warning("queue lengths not read: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        for queue, count in zip(QUEUES, counts, strict=True):
            lengths.add_metric([queue], int(count))
        unacked.add_metric([], int(held))
        up.add_metric([], 1)
        yield from (lengths, unacked, up)


class BreakerCollector:
    """`resume_tailor_ai_breaker_state{provider,state}`: 1 for each AI provider's current
    breaker state (closed, open, half_open), 0 for the others; read from the Redis the
    workers keep it in. Nothing when that Redis does not answer (unknown is not closed)."""

    def __init__(self, settings: Settings,
                 client: Callable[[], redis.Redis] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self._settings = settings
        self._client_factory = client or (lambda: _timed_client(settings.redis_url))
        self._store: RedisBreakerStore | None = None
        self._clock = clock

    def _family(self) -> GaugeMetricFamily:
        return GaugeMetricFamily(
            f"{PREFIX}ai_breaker_state",
            "1 for the AI provider's current circuit-breaker state, 0 for the others",
            labels=["provider", "state"])

    def describe(self) -> Iterator[Metric]:
        yield self._family()

    def collect(self) -> Iterator[Metric]:
        family = self._family()
        try:
            if self._store is None:
                self._store = RedisBreakerStore(self._client_factory(),
                                                prefix=self._settings.key_prefix)
            until = {name: self._store.read_opened_until(name)
                     for name in PROVIDERS if name != LOCAL}
        except redis.RedisError as exc:
            log.warning("breaker states not read: %s", exc)
            return
        now = self._clock()
        for name, opened_until in until.items():
            # As CircuitBreaker.state reads it.
            if opened_until is None:
                current = BreakerState.closed
            else:
                current = BreakerState.open if now < opened_until else BreakerState.half_open
            for state in BreakerState:
                family.add_metric([name, state.value], 1 if state is current else 0)
        yield family
