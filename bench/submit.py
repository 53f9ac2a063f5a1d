"""Submit latency of `POST /v1/jobs` under a bounded open-loop load on loopback (printed, not
asserted). Target: p99 under 50 ms at 200 submits per second.

Without `--url` it brings up what a submit needs and cleans it up afterwards: a throwaway
Postgres database with the migrations, a Redis key prefix of its own (so the queued chains
never reach real workers, and are deleted at the end), and one uvicorn process. Latency is
measured from each request's *scheduled* send time, so a stalled server cannot hide its
backlog (no coordinated omission).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from bench import _cpu as cpu

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    elapsed_s: float = 0.0


@lru_cache(maxsize=1)
def _examples() -> tuple[list[dict[str, object]], list[str]]:
    examples = ROOT / "examples"
    resumes = [json.loads(p.read_text()) for p in sorted((examples / "resumes").glob("*.json"))]
    postings = [p.read_text() for p in sorted((examples / "postings").iterdir())]
    return resumes, postings


MINIMAL_RESUME = {
    "basics": {"name": "Bench Candidate", "label": "Backend Engineer"},
    "work": [{"name": "Acme", "position": "Engineer", "startDate": "2019-01",
              "highlights": ["Built Python services on PostgreSQL and Redis."]}],
    "skills": [{"name": "Backend", "keywords": ["Python", "PostgreSQL", "Redis"]}],
}


def _body(index: int, size: str = "examples") -> dict[str, object]:
    """Submit `index`: the example resumes (4-5 KB) and postings in turn, or (`minimal`) a
    one-job resume and a three-line posting."""
    if size == "minimal":
        return {"resume": MINIMAL_RESUME,
                "posting": f"Backend Engineer #{index}\nRequirements:\n- Python\n- Docker"}
    resumes, postings = _examples()
    return {"resume": resumes[index % len(resumes)],
            "posting": f"{postings[index % len(postings)]}\n\nReference: bench-{index}"}


class _Connection:
    """One keep-alive HTTP/1.1 connection. The load generator shares the cores with the server
    it measures, so it must be cheap: httpx's pool cost about a core at 200 requests/s (it
    scans every pooled connection, with a socket poll each, for every queued request), which
    starved the server it was loading. Requests are encoded before the clock starts."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    async def exchange(self, request: bytes) -> int:
        return (await self.exchange_body(request))[0]

    async def exchange_body(self, request: bytes) -> tuple[int, bytes]:
        """Send one request; the response's status and body."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        length = 0
        for line in header_lines:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        body = await self.reader.readexactly(length)
        return int(status_line.split(" ", 2)[1]), body

    def close(self) -> None:
        self.writer.close()


def _request(host: str, index: int, size: str) -> bytes:
    return post_request(host, "/v1/jobs", _body(index, size))


def post_request(host: str, path: str, payload: object) -> bytes:
    """A keep-alive HTTP/1.1 POST of `payload` as JSON, encoded once, ahead of the clock, with
    the API key in RT_BENCH_API_KEY (`serve_api` makes one for the API it starts)."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    key = os.environ.get(BENCH_KEY_VARIABLE, "")
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"X-API-Key: {key}\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def run_load(url: str, *, rate: float, count: int, concurrency: int,
                   size: str = "examples") -> Result:
    """Open loop: request i is due at start + i/rate whatever happened to earlier ones; at most
    `concurrency` are in flight (each on its own keep-alive connection), the rest wait."""
    target = urlsplit(url)
    host, port = target.hostname or "127.0.0.1", target.port or 80
    requests = [_request(target.netloc, i, size) for i in range(count)]
    result = Result()
    idle: deque[_Connection] = deque()
    gate = asyncio.Semaphore(concurrency)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05

    async def one(index: int) -> None:
        scheduled = start + index / rate
        await asyncio.sleep(max(0.0, scheduled - loop.time()))  # the open-loop schedule
        async with gate:
            # Oldest first: every connection is reused within a fraction of a second, so
            # none sits idle long enough for the server's keep-alive timeout to close it.
            conn = idle.popleft() if idle else None
            while conn is not None and conn.reader.at_eof():  # closed by the server anyway
                conn.close()
                conn = idle.popleft() if idle else None
            try:
                if conn is None:
                    conn = _Connection(*await asyncio.open_connection(host, port))
                status = await asyncio.wait_for(conn.exchange(requests[index]), 30)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
                    ValueError, IndexError):  # OSError covers the timeout
                result.errors += 1
                if conn is not None:
                    conn.close()
                return
            idle.append(conn)
        result.latencies_ms.append((loop.time() - scheduled) * 1000)
        result.statuses[status] = result.statuses.get(status, 0) + 1

    await asyncio.gather(*(one(i) for i in range(count)))
    result.elapsed_s = loop.time() - start
    for conn in idle:
        conn.close()
    return result


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def report(result: Result, rate: float, count: int) -> None:
    lat = result.latencies_ms
    print(f"submits: {count} scheduled at {rate:.0f}/s, {len(lat)} answered, "
          f"{result.errors} transport errors, statuses {dict(sorted(result.statuses.items()))}")
    if lat:
        print(f"achieved: {len(lat) / result.elapsed_s:.0f}/s over {result.elapsed_s:.1f} s")
        print(f"latency ms: p50 {_percentile(lat, 50):.1f}  p90 {_percentile(lat, 90):.1f}  "
              f"p99 {_percentile(lat, 99):.1f}  max {max(lat):.1f}  "
              f"mean {statistics.fmean(lat):.1f}")
        under = _percentile(lat, 99) < 50 and len(lat) == count
        verdict = ("met" if under else "missed") if rate >= 200 else "not tested (rate < 200/s)"
        print(f"p99 under 50 ms at {rate:.0f}/s: {'yes' if under else 'no'}; "
              f"target (200/s): {verdict}")


# ---------------------------------------------------------------- a throwaway API


@contextmanager
def local_api(workers: int) -> Iterator[tuple[str, int]]:
    """uvicorn on a free loopback port over a fresh database and a private Redis prefix;
    yields its URL and the supervisor's pid."""
    import psycopg
    import redis
    from sqlalchemy import make_url

    from workers.admin import migrate_database
    from workers.settings import Settings

    # A throwaway local stack: development unless the caller says otherwise (production
    # refuses the placeholder secrets this machine's services run with).
    environment = os.environ.get("RT_ENVIRONMENT", "development")
    base = Settings(environment=environment)
    token = secrets.token_hex(4)
    db_name, prefix = f"rt_bench_{token}", f"rt_bench_{token}:"
    admin = make_url(base.database_url).set(drivername="postgresql")
    admin_dsn = admin.render_as_string(hide_password=False)
    database_url = make_url(base.database_url).set(database=db_name).render_as_string(
        hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db_name}"')
    try:
        migrate_database(database_url)
        # The submit route runs in the event loop (api.database): no route threads to size.
        # Every request comes from one address at hundreds a second: no rate limit here.
        env = {"RT_DATABASE_URL": database_url, "RT_KEY_PREFIX": prefix,
               "RT_API_RATE_LIMIT_PER_IP": "100000000", "RT_API_RATE_LIMIT_PER_KEY": "100000000",
               "RT_ENVIRONMENT": environment}
        os.environ[BENCH_KEY_VARIABLE] = make_bench_key(database_url)
        from tests.api_server import serve_api

        with serve_api(env, workers=workers) as served:
            yield served
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        client = redis.Redis.from_url(base.redis_url)
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)


BENCH_KEY_VARIABLE = "RT_BENCH_API_KEY"


def make_bench_key(database_url: str) -> str:
    """A key (tenant `bench`) in the database the benchmarked API uses."""
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from workers.db import api_keys

    engine = create_engine(database_url)
    try:
        with Session(engine) as session:
            _, key = api_keys.create_key(session, tenant="bench", name="bench",
                                         scopes=("jobs:write", "jobs:read", "batches:write"))
            session.commit()
    finally:
        engine.dispose()
    return key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an API already running (default: start a throwaway one)")
    parser.add_argument("--rate", type=float, default=200.0, help="submits per second")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to keep the rate")
    parser.add_argument("--concurrency", type=int, default=64, help="max requests in flight")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--warmup", type=int, default=50, help="submits before measuring")
    parser.add_argument("--body", choices=("examples", "minimal"), default="examples",
                        help="the example resumes and postings, or a minimal resume")
    args = parser.parse_args()
    count = int(args.rate * args.seconds)

    def measure(url: str, pid: int | None = None) -> None:
        asyncio.run(run_load(url, rate=args.rate, count=args.warmup, concurrency=args.concurrency,
                             size=args.body))
        # The API is the uvicorn supervisor and its worker processes (`pid` and children).
        named = {os.getpid(): "load generator", **({pid: "api"} if pid else {})}
        components, steal = cpu.snapshot(named), cpu.host_steal()
        result = asyncio.run(run_load(url, rate=args.rate, count=count,
                                      concurrency=args.concurrency, size=args.body))
        report(result, args.rate, count)
        print(cpu.steal_note(steal, cpu.host_steal()))
        print("CPU per submit, by component:\n"
              + cpu.report(components, cpu.snapshot(named), max(1, count)))

    if args.url:
        measure(args.url)
    else:
        with local_api(args.workers) as (url, pid):
            measure(url, pid)


if __name__ == "__main__":
    main()
