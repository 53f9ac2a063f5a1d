"""The webhook tests' receiver: the shared loopback one, named `localhost` in its URLs (the
sender resolves the name and must keep it in the Host header)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.webhook_receiver import Receiver, running_receiver


@pytest.fixture
def receiver(webhook_port: int) -> Iterator[Receiver]:
    """On the session's webhook port, which its settings allow callbacks to."""
    with running_receiver("localhost", port=webhook_port) as state:
        yield state
