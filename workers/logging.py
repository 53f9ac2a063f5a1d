"""JSON logs (structlog) for the API and every Celery process, each line carrying the request
id it belongs to and, in the workers, the job id and tenant.

The request id comes from the API (`X-Request-ID`, made when absent) and travels in every task
message's headers (`before_task_publish`): a stage task binds it when it starts
(`task_prerun`), so the next stage it sends, its retries and its webhook deliveries carry it in
turn. Celery's own lines about a task ("received" in the worker's main process) are matched to
that task's headers by task id, so they carry it too.

Log lines hold ids, states, types and counts, never resume or posting text: log an exception's
type and field, not its message, where the message may quote the input."""

from __future__ import annotations

import logging
import sys
import uuid
from collections import OrderedDict
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog
from celery import Task
from celery.worker.request import Request

# Context keys, and the task message headers that carry them.
REQUEST_ID = "request_id"
CARRIED = {REQUEST_ID: "rt_request_id", "tenant": "rt_tenant"}
MAX_REQUEST_ID = 128
_HANDLER_NAME = "resume-tailor-json"

# Task id → what its message carried, for the lines Celery logs in a worker's main process
# (which runs no task, so has no task context); bounded, oldest dropped first.
_task_contexts: OrderedDict[str, dict[str, str]] = OrderedDict()
_MAX_REMEMBERED = 10_000


def new_request_id() -> str:
    return uuid.uuid4().hex


def clean_request_id(value: str | None) -> str:
    """A client's `X-Request-ID` if it is short printable ASCII, else a new one (it is echoed in
    a header and written into every log line, so nothing else is taken)."""
    if value and len(value) <= MAX_REQUEST_ID and value.isascii() and value.isprintable():
        return value
    return new_request_id()


def error_summary(exc: BaseException) -> str:
    """An exception for a log line: its type, and the field for input errors. Not its message,
    which may quote the resume or the posting (pydantic's does, `input_value=...`)."""
    field = getattr(exc, "field", None)
    return f"{type(exc).__name__}" + (f" (field {field})" if isinstance(field, str) else "")


def bind(**values: object) -> None:
    structlog.contextvars.bind_contextvars(**values)


def clear() -> None:
    structlog.contextvars.clear_contextvars()


def carried_headers() -> dict[str, str]:
    """The current context's values that task messages carry."""
    context = structlog.contextvars.get_contextvars()
    return {header: str(context[key]) for key, header in CARRIED.items() if context.get(key)}


def context_from_headers(headers: Mapping[str, Any] | None) -> dict[str, str]:
    headers = headers or {}
    return {key: str(headers[header]) for key, header in CARRIED.items() if headers.get(header)}


def stage_job_id(task_name: str | None, args: Any) -> str | None:
    """A stage task's only argument is its job's id."""
    if task_name and task_name.startswith("workers.tasks.") and args:
        return str(args[0])
    return None


def remember_task(task_id: str, context: dict[str, str]) -> None:
    _task_contexts[task_id] = context
    _task_contexts.move_to_end(task_id)
    while len(_task_contexts) > _MAX_REMEMBERED:
        _task_contexts.popitem(last=False)


def _task_lines(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Celery's lines that name a task (its id in the record's arguments) get that task's
    carried context, where the process has no task context of its own."""
    # The record's own arguments (`pass_foreign_args`), used here and not written out.
    args = event.pop("positional_args", None)
    if REQUEST_ID in event:
        return event
    ids: list[Any] = []
    if isinstance(args, Mapping):
        ids = [args.get("id")]
    elif isinstance(args, tuple):
        ids = list(args)
    for value in ids:
        if isinstance(value, str) and value in _task_contexts:
            for key, found in _task_contexts[value].items():
                event.setdefault(key, found)
            event.setdefault("task_id", value)
            break
    return event


def configure(*, json: bool = True, level: str = "INFO") -> None:
    """Route stdlib logging (ours, Celery's, uvicorn's) and structlog through one handler on
    stderr that writes one JSON object per line."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        _task_lines,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any = (structlog.processors.JSONRenderer() if json
                     else structlog.dev.ConsoleRenderer(colors=False))
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        pass_foreign_args=True,
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info, renderer],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    handler.set_name(_HANDLER_NAME)
    root = logging.getLogger()
    # Replaces only our own handler (configured again, e.g. by each app a test builds); others
    # (pytest's capture) stay.
    root.handlers[:] = [h for h in root.handlers if h.get_name() != _HANDLER_NAME] + [handler]
    root.setLevel(level)
    # uvicorn and Celery install handlers of their own on these; one format for all.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "celery", "celery.task",
                 "celery.redirected"):
        named = logging.getLogger(name)
        named.handlers[:] = []
        named.propagate = True
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


class ContextRequest(Request):
    """A worker's view of a received task message: remembers what its headers carry before
    Celery logs "received", so that line carries it."""

    def __init__(self, message: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(message, *args, **kwargs)
        context = context_from_headers(self._request_dict)
        job_id = stage_job_id(self.task_name, self.args)
        if job_id:
            context["job_id"] = job_id
        if self.id and context:
            remember_task(self.id, context)


class ContextTask(Task):
    Request = "workers.logging:ContextRequest"
