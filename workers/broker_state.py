"""What the broker holds, for the reaper: which task messages wait in a queue or sit with a
worker, and whether the broker lost its data since the reaper last looked.

Redis only (kombu's layout: a list per queue, priorities in sibling lists, delivered but
unacknowledged messages in the `unacked` hash, every key under the deployment's prefix).
RabbitMQ cannot be looked into without taking messages; there these answer "unknown" and the
reaper falls back to its long cutoffs, which is acceptable because RabbitMQ with durable
queues neither loses messages on a restart nor holds a dead consumer's (see
docs/operations.md).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import redis
from kombu.transport.redis import PRIORITY_STEPS

from workers.broker import Channel
from workers.settings import Settings, get_settings

log = logging.getLogger(__name__)

# Queues longer than this are not read: each look reads a queue whole (a Redis list cannot be
# searched for a message by its id, and reading it in pieces while workers pop from it would
# skip some), and a backlog that long is being worked through anyway; its waiting jobs are
# taken as queued.
READ_LIMIT = 10_000
# Left in the broker's Redis; its absence means the data went (a restart without
# persistence, a flush, a failover to an empty replica) and every message with it.
MARK = "rt:broker-mark"

_clients: dict[str, redis.Redis] = {}


def inspectable(settings: Settings | None = None) -> bool:
    return (settings or get_settings()).broker_url.startswith(("redis://", "rediss://"))


def _client(settings: Settings) -> redis.Redis:
    client = _clients.get(settings.broker_url)
    if client is None:
        client = _clients[settings.broker_url] = redis.Redis.from_url(
            settings.broker_url, socket_timeout=settings.broker_socket_timeout_s,
            socket_connect_timeout=settings.broker_socket_timeout_s)
    return client


def lost_data() -> bool:
    """True when the broker's Redis lacks the mark a previous call left (and leaves it
    again): its messages are gone, so no job waiting for a task can count on its message.
    Also true on the very first call against a broker; the reaper then re-sends only what
    it does not find queued, so that costs nothing. False for brokers it cannot look into."""
    settings = get_settings()
    if not inspectable(settings):
        return False
    placed = _client(settings).set(f"{settings.key_prefix}{MARK}",
                                   datetime.now(UTC).isoformat(), nx=True)
    return bool(placed)


@dataclass(frozen=True)
class BrokerView:
    ready: dict[str, frozenset[str]]  # queue (stage name) → ids of the tasks waiting in it
    held: frozenset[str]  # ids of tasks delivered to a worker and not yet acknowledged
    unread: frozenset[str]  # queues too long to read: they may hold anything

    def queued(self, queue: str, task_ids: Iterable[str]) -> bool:
        """Whether one of `task_ids` waits in `queue` (or may: the queue was not read)."""
        ready = self.ready.get(queue, frozenset())
        return queue in self.unread or any(task_id in ready for task_id in task_ids)

    def holds(self, queue: str, task_ids: Iterable[str]) -> bool:
        """`queued`, or one of `task_ids` is with a worker."""
        ids = tuple(task_ids)
        return self.queued(queue, ids) or any(task_id in self.held for task_id in ids)


def look(queues: Iterable[str]) -> BrokerView | None:
    """The task ids in `queues` (stage names) and with the workers; None when the broker
    cannot be looked into."""
    settings = get_settings()
    if not inspectable(settings):
        return None
    client = _client(settings)
    # kombu prefixes every key it writes with the transport's global prefix (the deployment's
    # key prefix), on top of the queue's own name, which carries the prefix too.
    prefix = settings.key_prefix
    ready: dict[str, frozenset[str]] = {}
    unread: set[str] = set()
    for queue in set(queues):
        name = prefix + settings.queue_name(queue)
        lists = [name, *(f"{name}{Channel.sep}{step}" for step in PRIORITY_STEPS if step)]
        lengths = [int(client.llen(key)) for key in lists]
        if sum(lengths) > READ_LIMIT:
            unread.add(queue)
            continue
        ids: set[str] = set()
        for key, length in zip(lists, lengths, strict=True):
            if length:
                ids.update(filter(None, map(_task_id, client.lrange(key, 0, -1))))
        ready[queue] = frozenset(ids)
    held = frozenset(
        task_id for _, raw in client.hscan_iter(prefix + Channel.unacked_key)
        if (task_id := _held_task_id(raw)))
    return BrokerView(ready, held, frozenset(unread))


def _task_id(raw: bytes | str) -> str | None:
    """The task id of a kombu message as the Redis transport stores it (JSON with Celery's
    headers); None for anything else."""
    try:
        return _id_of(json.loads(raw))
    except ValueError:
        return None


def _held_task_id(raw: bytes | str) -> str | None:
    # An unacknowledged entry is `[message, exchange, routing_key]`.
    try:
        entry = json.loads(raw)
    except ValueError:
        return None
    return _id_of(entry[0]) if isinstance(entry, list) and entry else None


def _id_of(message: Any) -> str | None:
    headers = message.get("headers") if isinstance(message, dict) else None
    task_id = headers.get("id") if isinstance(headers, dict) else None
    return task_id if isinstance(task_id, str) else None
