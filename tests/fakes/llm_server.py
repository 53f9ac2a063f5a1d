"""A real HTTP server on loopback that speaks enough of OpenAI's Chat Completions and
Anthropic's Messages API for the official SDKs, scriptable per test.

    with FakeLLMServer() as server:
        server.script(Reply.rate_limited(retry_after=2), Reply.answer({"bullet": "..."}))
        client = openai.OpenAI(base_url=server.openai_base_url, api_key="k", max_retries=0)

Replies queued with `script()` are used in order; after that `respond_with(fn)` decides (fn
gets the recorded request, so a test can answer from what was asked). Every request is
recorded. `delay_s` makes every answer wait, for the benchmark.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_HANG_LIMIT_S = 30.0


@dataclass
class Reply:
    status: int = 200
    answer: dict[str, Any] | None = None  # a structured answer (JSON content / tool input)
    text: str | None = None  # raw content instead, e.g. malformed JSON or prose
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # never answer (until the server closes): the client times out
    delay_s: float = 0.0
    model: str | None = None  # the model name to report, default: the one asked for

    @classmethod
    def ok(cls, answer: dict[str, Any]) -> Reply:
        return cls(answer=answer)

    @classmethod
    def raw(cls, text: str) -> Reply:
        return cls(text=text)

    @classmethod
    def rate_limited(cls, retry_after: float | str | None = None) -> Reply:
        headers = {} if retry_after is None else {"retry-after": str(retry_after)}
        return cls(status=429, headers=headers)

    @classmethod
    def error(cls, status: int = 500) -> Reply:
        return cls(status=status)

    @classmethod
    def hung(cls) -> Reply:
        return cls(hang=True)


@dataclass
class RecordedRequest:
    api: str  # "openai" or "anthropic"
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def system(self) -> str:
        if self.api == "anthropic":
            return _text_of(self.body.get("system", ""))
        return "\n".join(
            _text_of(m["content"]) for m in self.body["messages"] if m["role"] == "system"
        )

    @property
    def user(self) -> str:
        """The first user turn's text."""
        users = [m for m in self.body["messages"] if m["role"] == "user"]
        return _text_of(users[0]["content"]) if users else ""

    @property
    def turns(self) -> int:
        return len([m for m in self.body["messages"] if m["role"] != "system"])

    def block(self, tag: str) -> str | None:
        """The text inside `<tag>…</tag>` in the first user turn."""
        match = re.search(rf"<{tag}>\n?(.*?)\n?</{tag}>", self.user, re.DOTALL)
        return match.group(1) if match else None


Responder = Callable[[RecordedRequest], Reply]


class _Server(ThreadingHTTPServer):
    # The default listen backlog of 5 drops SYNs when a client opens dozens of connections
    # at once, and each drop costs a 1 s retransmit: real servers queue far more.
    request_queue_size = 256


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


class FakeLLMServer:
    def __init__(self, *, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s
        self._lock = threading.Lock()
        self._queue: deque[Reply] = deque()
        self._responder: Responder = lambda request: Reply.ok({})
        self._released = threading.Event()
        self.requests: list[RecordedRequest] = []
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests being answered at once
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        # A short poll interval keeps shutdown (one per test) fast.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.base_url}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.base_url  # the SDK adds /v1/messages

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def respond_with(self, responder: Responder) -> None:
        self._responder = responder

    def count(self, api: str | None = None) -> int:
        with self._lock:
            return len([r for r in self.requests if api is None or r.api == api])

    def start(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._released.set()  # lets hung handlers go
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _next_reply(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            queued = self._queue.popleft() if self._queue else None
        return queued if queued is not None else self._responder(request)


def _handler_for(server: FakeLLMServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out in separate writes; without NODELAY, Nagle's algorithm
            # and the client's delayed ACK add ~40 ms to every answer.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
            pass

        def do_POST(self) -> None:
            api = {"/v1/chat/completions": "openai", "/v1/messages": "anthropic"}.get(
                self.path.split("?")[0]
            )
            length = int(self.headers.get("content-length", "0"))
            raw = self.rfile.read(length)
            if api is None:
                self._send(404, {"error": {"message": f"no route {self.path}"}}, {})
                return
            body = json.loads(raw or b"{}")
            request = RecordedRequest(api, self.path, dict(self.headers.items()), body)
            reply = server._next_reply(request)
            server._enter()
            try:
                self._answer(api, body, reply)
            finally:
                server._leave()

        def _answer(self, api: str, body: dict[str, Any], reply: Reply) -> None:
            if reply.hang:
                server._released.wait(_HANG_LIMIT_S)
                self.close_connection = True
                return
            if reply.delay_s or server.delay_s:
                time.sleep(reply.delay_s or server.delay_s)
            payload = (
                _success(api, body, reply) if reply.status == 200 else _failure(api, reply)
            )
            self._send(reply.status, payload, reply.headers)

        def _send(self, status: int, payload: Any, headers: dict[str, str]) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (timed out) first

    return Handler


def _success(api: str, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    content = reply.text if reply.text is not None else json.dumps(reply.answer or {})
    model = reply.model or body.get("model", "fake-model")
    input_tokens = max(1, len(json.dumps(body.get("messages", []))) // 4)
    output_tokens = max(1, len(content) // 4)
    if api == "openai":
        return {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                    "logprobs": None,
                }
            ],
            "usage": {
                "prompt_tokens": input_tokens,
                "completion_tokens": output_tokens,
                "total_tokens": input_tokens + output_tokens,
            },
        }
    tools = body.get("tools") or []
    if tools and reply.text is None:
        blocks: list[dict[str, Any]] = [
            {"type": "tool_use", "id": "toolu_fake", "name": tools[0]["name"],
             "input": reply.answer or {}}
        ]
        stop = "tool_use"
    else:
        blocks, stop = [{"type": "text", "text": content}], "end_turn"
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": blocks,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens},
    }


def _failure(api: str, reply: Reply) -> dict[str, Any]:
    kind = {400: "invalid_request_error", 401: "authentication_error", 429: "rate_limit_error"}
    error_type = kind.get(reply.status, "api_error")
    message = reply.text or f"fake error {reply.status}"
    if api == "openai":
        return {"error": {"message": message, "type": error_type, "code": None, "param": None}}
    return {"type": "error", "error": {"type": error_type, "message": message}}
