"""The Redis broker transport (workers.broker) against the machine's Redis, under a key prefix
of its own."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from kombu import Connection, Exchange, Queue

from tests.service_fixtures import BASE_REDIS_URL, delete_prefixed_keys
from workers.broker import TRANSPORT, Channel


@pytest.fixture
def connection() -> Iterator[Connection]:
    prefix = f"rt_test_broker_{secrets.token_hex(4)}:"
    conn = Connection(BASE_REDIS_URL, transport=TRANSPORT,
                      transport_options={"global_keyprefix": prefix})
    try:
        yield conn
    finally:
        conn.release()
        delete_prefixed_keys(BASE_REDIS_URL, prefix)


def test_a_message_goes_through_and_is_acknowledged(connection: Connection) -> None:
    queue = Queue("work", Exchange("work", type="direct"), routing_key="work")
    with connection.Producer() as producer:
        producer.publish({"n": 1}, exchange=queue.exchange, routing_key="work",
                         declare=[queue])
    message = queue(connection.default_channel).get(no_ack=False)
    assert message is not None and message.payload == {"n": 1}
    message.ack()
    assert queue(connection.default_channel).get(no_ack=False) is None


def test_a_channel_of_a_closed_transport_closes_without_stopping_the_worker(
    connection: Connection,
) -> None:
    """Seen when a worker lost its broker twice in ten seconds: its consumer closed a channel
    whose transport kombu had already closed (the transport's connection info cleared); the
    channel's unacknowledged message was to be restored through a client built from that
    info, kombu raised AttributeError, which none of its close paths ignore, and the worker
    stopped ("Unrecoverable error"). It must be a connection error, which they ignore."""
    queue = Queue("work", Exchange("work", type="direct"), routing_key="work")
    channel = connection.default_channel
    assert isinstance(channel, Channel)
    with connection.Producer() as producer:
        producer.publish({"n": 1}, exchange=queue.exchange, routing_key="work",
                         declare=[queue])
    assert queue(channel).get(no_ack=False) is not None  # held unacknowledged by the channel
    channel._disconnect_pools()  # what the channel's own close does first
    channel.connection.client = None  # what kombu does to a transport it closes

    connection.maybe_close_channel(channel)  # ignores connection errors; raised AttributeError

    assert channel.closed
