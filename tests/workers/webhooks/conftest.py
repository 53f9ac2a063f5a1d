"""A real loopback HTTP receiver for webhook attempts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Receiver:
    url: str
    statuses: list[int]  # answers, in order; the last repeats
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    redirect_to: str | None = None
    stall: threading.Event | None = None  # set: the handler waits for it before answering
    drip: threading.Event | None = None  # set: headers promise a body that never comes


@pytest.fixture
def receiver(webhook_port: int) -> Iterator[Receiver]:
    """On the session's webhook port, which its settings allow callbacks to."""
    state = Receiver(url="", statuses=[204])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            state.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            if state.stall is not None:
                state.stall.wait(10)
            index = min(len(state.requests), len(state.statuses)) - 1
            status = state.statuses[index]
            self.send_response(status)
            if state.redirect_to:
                self.send_header("location", state.redirect_to)
            self.send_header("content-length", "100000" if state.drip else "0")
            self.end_headers()
            if state.drip is not None:
                self.wfile.write(b"x")
                self.wfile.flush()
                state.drip.wait(10)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", webhook_port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://localhost:{server.server_address[1]}/hook?src=test"
    try:
        yield state
    finally:
        for event in (state.stall, state.drip):
            if event is not None:
                event.set()
        server.shutdown()
        server.server_close()
