"""kombu's Redis broker transport, with one redis-py client per channel.

kombu's Redis channel builds a new redis-py client object for every message it publishes and
every one it takes or acknowledges (`Channel._create_client`); the constructor copies redis-py's
table of response callbacks each time, about 0.25 ms of CPU, paid on every submit by the API
and several times per task by each worker. A client is a thread-safe handle on the channel's
connection pool, so one per channel, made again whenever kombu replaces the pool, does the same
work. `workers.app` uses this transport for `redis://` and `rediss://` broker URLs.

Its QoS also records and clears each delivered message's "unacked" entry (what a lost worker's
messages are restored from) in a plain pipeline instead of a MULTI/EXEC transaction: a worker
does both for every task, and the transaction's extra commands and replies were a large share
of its main process's CPU per task (bench.queue). Nothing else writes those two entries of that
message, and a pipeline sends both commands in one write, so the transaction guarded nothing.

A channel asked for a client after its transport was closed raises a connection error rather
than kombu's AttributeError (see `Channel._create_client`): that AttributeError, raised while a
worker's consumer closed its connection after a broker restart, escaped kombu's error handling
and stopped the whole worker ("Unrecoverable error"), leaving its queue without a consumer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError

TRANSPORT = f"{__name__}:Transport"


class QoS(kombu_redis.QoS):
    @contextmanager
    def pipe_or_acquire(self, pipe: Any = None, client: Any = None) -> Iterator[Any]:
        if pipe:
            yield pipe
        else:
            with self.channel.conn_or_acquire(client) as acquired:
                yield acquired.pipeline(transaction=False)


class Channel(kombu_redis.Channel):
    QoS = QoS
    _shared_client: Any = None

    def _create_client(self, asynchronous: bool = False) -> Any:
        if self.connection.client is None:
            # kombu clears a transport's connection info when it closes it, but a channel of
            # that transport can still be closed later (a kombu Connection keeps its default
            # channel across a close), and closing restores its unacknowledged messages through
            # a new client; building its pool from the missing info raised AttributeError.
            # kombu's close paths ignore connection errors, so the worker reconnects instead.
            raise RedisConnectionError("the broker connection was closed")
        if asynchronous:  # the consumer's polling client: kombu keeps that one itself
            return super()._create_client(asynchronous=True)
        client = self._shared_client
        if client is None or client.connection_pool is not self.pool:
            client = self._shared_client = super()._create_client()
        return client


class Transport(kombu_redis.Transport):
    Channel = Channel
