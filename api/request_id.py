"""The correlation id: `X-Request-ID` from the client (or a new one), bound for every log line
the request causes, echoed in the response, and carried in the task messages it sends
(`workers.logging`)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workers import logging as logs

HEADER = b"x-request-id"


class RequestId:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == HEADER), None)
        request_id = logs.clean_request_id(given)
        # Each request runs in its own task (own context), so this binds it for this one only.
        logs.clear()
        logs.bind(request_id=request_id)
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != HEADER]
                message = {**message, "headers": [*headers, (HEADER, request_id.encode())]}
            await send(message)

        await self.app(scope, receive, send_with_id)
