"""A real loopback webhook receiver, the one the API, worker and benchmark tests share:
records each request and answers from a script per path; it can also redirect, stall, or
promise a body it never sends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    base_url: str = ""
    # path → statuses to answer, in order; the last one repeats. Unscripted paths get 204.
    script: dict[str, list[int]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    redirect_to: str | None = None  # sent as `location` with every answer
    stall: threading.Event | None = None  # set: the handler waits for it before answering
    drip: threading.Event | None = None  # set: headers promise a body that never comes
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def url(self, path: str, *statuses: int) -> str:
        if statuses:
            self.script[path] = list(statuses)
        return f"{self.base_url}{path}"

    def on(self, path: str) -> list[Received]:
        with self._changed:
            return [r for r in self.received if r.path == path]

    def wait_for(self, path: str, count: int, timeout_s: float) -> list[Received]:
        """Block until `count` requests reached `path` (no sleeping: woken per request)."""
        with self._changed:
            self._changed.wait_for(
                lambda: len([r for r in self.received if r.path == path]) >= count, timeout_s
            )
            return [r for r in self.received if r.path == path]

    def _record(self, request: Received) -> int:
        with self._changed:
            self.received.append(request)
            seen = len([r for r in self.received if r.path == request.path])
            statuses = self.script.get(request.path, [204])
            self._changed.notify_all()
            return statuses[min(seen, len(statuses)) - 1]


@contextmanager
def running_receiver(host: str = "127.0.0.1", port: int = 0) -> Iterator[Receiver]:
    """On `port` (0: any free one; the service tests' settings allow callbacks to theirs);
    `host` is the name its URLs use for it."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = state._record(Received(self.path, headers, body))
            if state.stall is not None:
                state.stall.wait(10)
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

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base_url = f"http://{host}:{server.server_address[1]}"
    try:
        yield state
    finally:
        for event in (state.stall, state.drip):
            if event is not None:
                event.set()
        server.shutdown()
        server.server_close()
