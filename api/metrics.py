"""Prometheus metrics: requests by route template and status, and their latency; what
`/metrics` shows.

A per-app registry, so building several apps in one process (tests) never collides.
"""

from __future__ import annotations

import os
import time

from prometheus_client import CollectorRegistry, Counter, Histogram, multiprocess, values
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from workers import metrics as job_metrics
from workers.broker_metrics import BreakerCollector, QueueCollector
from workers.settings import Settings

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def exposed_registry(requests: CollectorRegistry, settings: Settings) -> CollectorRegistry:
    """What `/metrics` serves: this app's request metrics (`requests`) and the job metrics
    counted in this process (cancellations), or, with PROMETHEUS_MULTIPROC_DIR set (uvicorn
    `--workers N`), every API process's values from that directory; and in both cases the
    queue lengths and breaker states, read from Redis at each scrape. The directory is the
    API processes' own, empty when they start (uvicorn's supervisor runs none of this code,
    so nothing here may empty it: sibling processes are already counting)."""
    if os.environ.get(MULTIPROC_ENV) and getattr(values.ValueClass, "_multiprocess", False):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = job_metrics.register(requests)
    registry.register(QueueCollector(settings))
    registry.register(BreakerCollector(settings))
    return registry


class RequestMetrics:
    def __init__(self, app: ASGIApp, *, registry: CollectorRegistry) -> None:
        self.app = app
        self.requests = Counter(
            "http_requests", "HTTP requests answered", ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds", "Time to answer an HTTP request", ["method", "route"],
            registry=registry,
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            # The route template, not the raw path: job ids would explode the label set.
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            method = scope["method"]
            self.requests.labels(method, route, str(status)).inc()
            self.latency.labels(method, route).observe(time.perf_counter() - started)
