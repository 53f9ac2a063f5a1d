"""Request body size limit, enforced before anything parses the body.

A pure ASGI middleware: it refuses an oversized `Content-Length` at once, and otherwise reads
the body itself, counting, so a chunked upload without a length cannot slip past either.
Bodies under the limit are replayed to the app unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import PROBLEM_MEDIA_TYPE
from api.problems import PROBLEM_TYPES

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    def __init__(self, app: ASGIApp, *, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.limit_for = limit_for  # path → byte limit, so batches may allow more

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit, scope["path"])
            return
        try:
            body, trailing = await _read_body(receive, limit)
        except BodyTooLarge:
            await _refuse(send, limit, scope["path"])
            return
        await self.app(scope, _replay(body, receive, trailing), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, Message | None]:
    """Read the whole body; a disconnect before the end is kept to replay after it."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), message
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), None


def _replay(body: bytes, receive: Receive, trailing: Message | None) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if trailing is not None:
            return trailing
        return await receive()  # waits for the client to disconnect, as Starlette expects

    return replay


async def _refuse(send: Send, limit: int, path: str) -> None:
    problem = {
        "type": PROBLEM_TYPES["body-too-large"].uri,
        "title": PROBLEM_TYPES["body-too-large"].title,
        "status": 413,
        "detail": f"request body exceeds the limit of {limit} bytes",
        "instance": path,
        "limit_bytes": limit,
        "errors": [{"field": "body", "message": f"larger than {limit} bytes"}],
    }
    payload = json.dumps(problem).encode()
    await send({
        "type": "http.response.start",
        "status": 413,
        "headers": [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
            (b"content-length", str(len(payload)).encode()),
            (b"connection", b"close"),
        ],
    })
    await send({"type": "http.response.body", "body": payload})
