"""A rank-first batch through the API and the workers, timed (printed, not asserted).

    python -m bench.batchrank [--postings 500] [--tailor-top 0] [--data ../shared/data]

A throwaway stack (fresh Postgres database, Redis key prefix, SeaweedFS, the API as one uvicorn
process, one worker process per queue), then one `POST /v1/batches` of POSTINGS SkillSpan
postings (cycled, each with its own reference line so none is a cached repeat) for one resume
in `rank_first` mode, polled until the batch completes. Prints the submit's answer time, the
ranking task's time, the whole time from the POST to the batch's `finished_at`, the CPU each
component used, and the host's steal and load meanwhile. Target: 500 postings, rank only, in
10 s or less.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from bench import _cpu as cpu
from bench.coldstart import DEFAULT_DATA, RESUME, write_rank_input


def _batch_body(postings: int, tailor_top: int, data: Path, folder: Path) -> dict[str, Any]:
    source = write_rank_input(folder / "postings.jsonl", postings, data)
    print(f"postings: {postings} from {source}; tailor_top {tailor_top}")
    lines = (folder / "postings.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(line) for line in lines]
    return {"resume": json.loads(RESUME.read_text()), "mode": "rank_first",
            "tailor_top": tailor_top,
            "postings": [{"label": item["id"], "posting": item["text"]} for item in items]}


def _rank_seconds(batch_id: uuid.UUID) -> float | None:
    """The ranking task's own time, from what it recorded on the items."""
    from sqlalchemy import select

    from workers.db.models import Job
    from workers.db.session import session_scope
    from workers.stage_times import stage_runs

    with session_scope() as session:
        stages = session.execute(
            select(Job.stages).where(Job.batch_id == batch_id).limit(1)).scalar_one()
    runs = [run for run in stage_runs(stages) if run.name == "rank"]
    return runs[0].duration_ms / 1000 if runs and runs[0].duration_ms is not None else None


def run(postings: int, tailor_top: int, data: Path, timeout_s: float) -> None:
    from bench.submit import BENCH_KEY_VARIABLE, make_bench_key
    from tests.api_server import serve_api
    from tests.service_fixtures import (
        WorkerPool,
        service_stack,
        start_seaweedfs,
        stop_process,
        wait_for,
    )
    from workers.settings import QUEUES

    with tempfile.TemporaryDirectory(prefix="rt-bench-") as tmp:
        body = _batch_body(postings, tailor_top, data, Path(tmp))
        s3 = start_seaweedfs(Path(tmp) / "s3")
        try:
            with service_stack(s3) as env:
                pool = WorkerPool(env, Path(tmp))
                try:
                    for queue in QUEUES:
                        pool.start(queue)
                    # One address, one key of its own; no rate limit in the way of the figure.
                    key = make_bench_key(env["RT_DATABASE_URL"])
                    os.environ[BENCH_KEY_VARIABLE] = key
                    api_env = {**env, "RT_API_RATE_LIMIT_PER_IP": "100000000",
                               "RT_API_RATE_LIMIT_PER_KEY": "100000000"}
                    with serve_api(api_env, log=Path(tmp) / "api.log") as (url, api_pid), \
                            httpx.Client(base_url=url, timeout=120,
                                         headers={"X-API-Key": key}) as http:
                        warm = dict(body, postings=body["postings"][:3], tailor_top=0)
                        _wait_completed(http, _submit(http, warm), 300, wait_for)
                        me = {os.getpid(): "bench (submit+poll)"}
                        roots = [api_pid, s3.process.pid, *(w.process.pid for w in pool.workers)]
                        backends = cpu.postgres_backends(env["RT_DATABASE_URL"])
                        scope: dict[str, Any] = {"split_pools": True, "roots": roots,
                                                 "postgres": backends}
                        before, steal = cpu.snapshot(me, **scope), cpu.host_steal()
                        load = os.getloadavg()[0]
                        start = time.time()
                        location = _submit(http, body)
                        answered = time.time() - start
                        batch = _wait_completed(http, location, timeout_s, wait_for)
                        backends |= cpu.postgres_backends(env["RT_DATABASE_URL"])
                        after = cpu.snapshot(me, **scope)
                    finished = batch["finished_at"]
                    from datetime import datetime
                    done_s = datetime.fromisoformat(finished).timestamp() - start
                    counts = {k: v for k, v in batch["counts"].items() if v}
                    rank_s = _rank_seconds(uuid.UUID(batch["id"]))
                    print(f"batch {counts}; ranking has {len(batch['ranking'])} rows")
                    print(f"submit answered in {answered:.2f} s; ranking task "
                          f"{rank_s if rank_s is None else round(rank_s, 2)} s; POST to batch "
                          f"completed: {done_s:.2f} s (target <= 10 s for 500, rank only)")
                    used = cpu.report(before, after, 1).replace("ms/job", "ms for the batch")
                    print("CPU by component (this benchmark's processes; Redis is shared):\n"
                          + used)
                    print(cpu.steal_note(steal, cpu.host_steal()))
                    print(f"load average (1 min) at the start: {load:.1f}, at the end: "
                          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
                finally:
                    pool.stop_all()
        finally:
            stop_process(s3.process)


def _submit(http: httpx.Client, body: dict[str, Any]) -> str:
    response = http.post("/v1/batches", json=body)
    if response.status_code != 202:
        raise RuntimeError(f"batch submit answered {response.status_code}: {response.text[:500]}")
    return response.headers["location"]


def _wait_completed(http: httpx.Client, location: str, timeout_s: float,
                    wait_for: Any) -> dict[str, Any]:
    def completed() -> dict[str, Any] | None:
        body: dict[str, Any] = http.get(location).json()
        return body if body["state"] == "completed" else None

    found: dict[str, Any] = wait_for(completed, timeout=timeout_s, interval=0.2,
                                     what="the batch")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.batchrank", description=__doc__)
    parser.add_argument("--postings", type=int, default=500)
    parser.add_argument("--tailor-top", type=int, default=0)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    run(args.postings, args.tailor_top, args.data, args.timeout)


if __name__ == "__main__":
    main()
