"""The same jobs through the Celery workers and in-process, compared (printed, not asserted).

Queue path: a throwaway stack (fresh Postgres database, Redis key prefix, SeaweedFS), the API
(one uvicorn process) and one worker process per queue; all jobs are submitted at once over
HTTP (`POST /v1/jobs`, 16 in flight); latency is each job's `finished_at - created_at`, and
the wall time runs from the first submit to the last job's end. In-process path: the same
resume/posting pairs through `pipeline.tailor.run_tailor` in a pool of `--procs` processes
(default: the CPU count), all started at once, each job then doing the I/O the queue path does
for it: its four artifacts to the same S3 server (the same boto3 client) and one row, inputs
and outputs, to the same Postgres database; latency is from the start to each job's end. Both
paths are warmed up first (models and TeX formats loaded) and use unique postings, so neither
is flattered by the analysis cache. Target: queue throughput ≥ 0.85× in-process.

Then the queue's own cost per task: each light stage worker's CPU per task (from /proc, main
process and pool) minus that stage's own CPU in-process (the process clock around it). Target:
≤ 6 ms a task. CPU is counted for this benchmark's own processes only (its workers, API, S3
server, the Postgres backends serving its database; Redis is shared), since the machine is.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import multiprocessing
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import _cpu as cpu

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@dataclass
class Run:
    name: str
    jobs: int
    failed: int
    wall_s: float
    latencies_s: list[float]

    @property
    def per_minute(self) -> float:
        return self.jobs / self.wall_s * 60 if self.wall_s else 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_s)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def workload(count: int) -> list[tuple[dict[str, Any], str]]:
    """`count` (resume, posting) pairs cycling through the examples, each posting unique."""
    from pipeline.inputs import load_posting

    resumes = [json.loads(p.read_text()) for p in sorted((EXAMPLES / "resumes").glob("*.json"))]
    postings = [load_posting(p) for p in sorted((EXAMPLES / "postings").iterdir())]
    if not resumes or not postings:
        raise SystemExit("bench.queue needs examples/resumes/*.json and examples/postings/*")
    return [
        (resumes[i % len(resumes)], f"{postings[i % len(postings)]}\n\nReference: {uuid.uuid4()}")
        for i in range(count)
    ]


# ---------------------------------------------------------------- in-process

# The stages whose queue overhead is printed: their own CPU in-process is read from the
# process clock (TeX runs in child processes, so compile is left out). In-process, "score" is
# the match report and the fit, "upload" the final rescore, the report, and the two JSON
# artifacts the upload stage writes and puts.
LIGHT_STAGES = ("parse", "score", "rewrite", "upload")


def _start_child() -> None:
    # Engine and S3 client inherited from the parent must not be shared across processes.
    from workers import storage
    from workers.db.session import reset_engine

    reset_engine()
    storage.reset_client()


def _tailor_one(pair: tuple[dict[str, Any], str]) -> tuple[bool, float, dict[str, float]]:
    """Tailor one pair and do the I/O the queue path does for a job: its four artifacts to
    the same S3 server and one row (inputs and outputs) to Postgres. Returns (ok, end time,
    CPU seconds per light stage), each stage's bucket holding the work its task does."""
    from datetime import date

    from pipeline.documents.outputs import resume_documents
    from pipeline.jsonresume import Resume
    from pipeline.rank.fit import build_candidate, score_fit
    from pipeline.report import build_report, rendered_resume, report_files
    from pipeline.score.resume_profile import build_profile
    from pipeline.tailor import run_tailor
    from workers import storage
    from workers.db import jobs
    from workers.db.session import session_scope

    spent: dict[str, float] = {}
    current: list[Any] = [None, time.process_time()]

    def on_stage(name: str) -> None:
        now = time.process_time()
        if current[0] is not None:
            spent[current[0]] = spent.get(current[0], 0.0) + now - current[1]
        current[:] = ["upload" if name == "rescore" else name, now]

    try:
        resume = Resume.model_validate(pair[0])
        # run_tailor's last step, the report without the ATS checks, counts with upload,
        # where the service builds its report.
        result = run_tailor(resume, pair[1], on_stage=on_stage)
        # The service's score stage also scores the fit (for batch ranking) from the profile
        # it built; run_tailor did not keep its profile, so building it again counts nowhere.
        on_stage("none")
        today = date.today()
        profile = build_profile(resume, today=today)
        on_stage("score")
        fit = score_fit(build_candidate(resume, profile, today=today), result.analysis)
        # The compile stage's files and ATS check, then upload's report and JSON files: what
        # pipeline.documents.outputs.artifact_files makes, split as the two tasks split it.
        on_stage("compile")
        rendered = rendered_resume(result.tailored, result.compiled)
        files, ats = resume_documents(result.compiled, rendered, ("pdf",))
        job_id = uuid.uuid4()
        keys = {name: storage.artifact_key("bench", job_id, name)
                for name in ("resume.pdf", "resume.tex", "report.json", "tailored.json")}
        for name in ("resume.pdf", "resume.tex"):
            storage.put(keys[name], files[name], storage.ARTIFACTS[name])
        on_stage("none")  # the report again with the ATS checks: the service builds it once
        report = build_report(analysis=result.analysis, before=result.before,
                              tailored=result.tailored, compiled=result.compiled,
                              after=result.after, timings_ms=result.report.timings_ms,
                              parse_usage=result.parse_usage, ats=ats,
                              input_notes=result.report.input_notes)
        on_stage("upload")
        files.update(report_files(report, rendered))
        for name in ("report.json", "tailored.json"):
            storage.put(keys[name], files[name], storage.ARTIFACTS[name])
        on_stage("row")
        row = jobs.queued_job_row(tenant="bench", resume=pair[0], posting=pair[1],
                                  job_id=job_id) | {
            "state": "succeeded", "analysis": result.analysis.model_dump(mode="json"),
            "report": result.before.model_dump(mode="json"),
            "tailored": result.tailored.model_dump(mode="json"),
            "report_after": result.after.model_dump(mode="json"),
            "match_rate": result.before.match_rate, "match_rate_after": result.after.match_rate,
            "fit": fit.fit, "fit_parts": fit.parts.model_dump(mode="json"),
            "artifacts": keys,
        }
        with session_scope() as session:
            jobs.insert_jobs(session, [row])
        on_stage("end")
        ok = True
    except Exception:  # counted, like a failed job on the queue path
        ok = False
    return ok, time.time(), spent


def run_inprocess(pairs: list[tuple[dict[str, Any], str]], procs: int,
                  s3_pid: int, database_url: str) -> tuple[Run, dict[str, float]]:
    """The in-process run, and each light stage's own CPU per job (ms)."""
    _tailor_one(workload(1)[0])  # warm the parent; forked children inherit the loaded models
    gc.freeze()  # as the workers do after loading (workers.app): the same GC treatment
    with multiprocessing.get_context("fork").Pool(procs, initializer=_start_child) as pool:
        pool.map(_tailor_one, workload(procs))  # warm each child
        pids = {child.pid: "in-process pool" for child in pool._pool}  # type: ignore[attr-defined]
        roots, backends = [*pids, s3_pid], cpu.postgres_backends(database_url)
        before = cpu.snapshot(pids, roots=roots, postgres=backends)
        steal = cpu.host_steal()
        start = time.time()
        results = pool.map(_tailor_one, pairs, chunksize=1)
        backends |= cpu.postgres_backends(database_url)
        after = cpu.snapshot(pids, roots=roots, postgres=backends)
        print("in-process, CPU by component:\n" + cpu.report(before, after, len(pairs)))
        print(cpu.steal_note(steal, cpu.host_steal()))
    ends = [end for _, end, _ in results]
    own = {stage: 1000 * sum(spent.get(stage, 0.0) for _, _, spent in results) / len(results)
           for stage in LIGHT_STAGES}
    run = Run(f"in-process ({procs} procs)", len(pairs), sum(not ok for ok, _, _ in results),
              max(ends) - start, [end - start for end in ends])
    return run, own


# ---------------------------------------------------------------- queue


def submit_http(url: str, pairs: list[tuple[dict[str, Any], str]],
                concurrency: int = 16) -> list[uuid.UUID]:
    """POST every pair to `/v1/jobs` over `concurrency` keep-alive connections; the new
    jobs' ids. Raw HTTP/1.1 (bench.submit's client): an HTTP library's own CPU would be
    charged to the queue path, which shares the cores with it."""
    from urllib.parse import urlsplit

    from bench.submit import _Connection, post_request

    target = urlsplit(url)
    requests = [post_request(target.netloc, "/v1/jobs", {"resume": r, "posting": p})
                for r, p in pairs]

    async def run() -> list[uuid.UUID]:
        queue = list(enumerate(requests))[::-1]
        ids: list[uuid.UUID | None] = [None] * len(requests)

        async def sender() -> None:
            conn = _Connection(*await asyncio.open_connection(target.hostname, target.port))
            try:
                while queue:
                    index, request = queue.pop()
                    status, body = await conn.exchange_body(request)
                    if status != 202:
                        raise RuntimeError(f"submit answered {status}: {body[:500]!r}")
                    ids[index] = uuid.UUID(json.loads(body)["id"])
            finally:
                conn.close()

        await asyncio.gather(*(sender() for _ in range(min(concurrency, len(requests)))))
        return [job_id for job_id in ids if job_id is not None]

    return asyncio.run(run())


def stage_means_ms(ids: list[uuid.UUID]) -> dict[str, float]:
    """Mean wall time of each stage's last run over `ids`, from the jobs' timestamps."""
    from sqlalchemy import select

    from workers.db.models import Job
    from workers.db.session import session_scope
    from workers.stage_times import stage_timings_ms

    with session_scope() as session:
        stages = session.execute(select(Job.stages).where(Job.id.in_(ids))).scalars().all()
    timings = [stage_timings_ms(s) for s in stages]
    names = sorted({name for t in timings for name in t})
    return {n: round(sum(t.get(n, 0.0) for t in timings) / len(timings)) for n in names}


def _finished(ids: list[uuid.UUID]) -> list[tuple[str, float, float]] | None:
    from sqlalchemy import select

    from workers.db.models import TERMINAL, Job
    from workers.db.session import session_scope

    with session_scope() as session:
        rows = session.execute(
            select(Job.state, Job.created_at, Job.finished_at).where(Job.id.in_(ids))
        ).all()
    if any(state not in TERMINAL for state, _, _ in rows):
        return None
    # Every row is final here, and a final job has its finished_at.
    return [(state, created.timestamp(), finished.timestamp())
            for state, created, finished in rows if finished is not None]


def run_queue(env: dict[str, str], tmp: Path, s3_pid: int,
              pairs: list[tuple[dict[str, Any], str]], procs: int, timeout_s: float,
              compile_procs: int | None = None) -> tuple[Run, dict[str, float]]:
    """The queue run, and each stage worker's CPU per task (ms, main process and pool)."""
    from bench.submit import BENCH_KEY_VARIABLE, make_bench_key
    from tests.api_server import serve_api
    from tests.service_fixtures import WorkerPool, wait_for
    from workers.settings import QUEUES

    compiles = compile_procs or procs
    pool = WorkerPool(env, tmp)
    try:
        # One worker per queue; compile, most of a job's CPU, with as many processes as the
        # in-process path. Twice as many (for its waits on Postgres, S3 and the broker) gave
        # the same throughput on 2 cores (403 and 405 jobs a minute) for 9 ms more of CPU a
        # job: four TeX processes on two cores each run slower.
        for queue in QUEUES:
            pool.start(queue, concurrency=compiles if queue == "compile" else 1)
        # One address submits hundreds of jobs a minute: no rate limit; a key of its own.
        api_env = {**env, "RT_API_RATE_LIMIT_PER_IP": "100000000",
                   "RT_API_RATE_LIMIT_PER_KEY": "100000000"}
        os.environ[BENCH_KEY_VARIABLE] = make_bench_key(env["RT_DATABASE_URL"])
        with serve_api(api_env, log=tmp / "api.log") as (url, api_pid):
            warm = submit_http(url, workload(2))
            wait_for(lambda: _finished(warm), timeout=300, interval=0.2, what="warm-up")
            me = {os.getpid(): "bench (submit+poll)"}
            roots = [api_pid, s3_pid, *(w.process.pid for w in pool.workers)]
            backends = cpu.postgres_backends(env["RT_DATABASE_URL"])
            before = cpu.snapshot(me, split_pools=True, roots=roots, postgres=backends)
            steal = cpu.host_steal()
            start = time.time()
            ids = submit_http(url, pairs)
            # Each job's end is its own finished_at, so polling once a second loses no
            # precision and keeps the benchmark's queries off the cores.
            rows = wait_for(lambda: _finished(ids), timeout=timeout_s, interval=1.0,
                            what="the queued jobs")
            backends |= cpu.postgres_backends(env["RT_DATABASE_URL"])
            after = cpu.snapshot(me, split_pools=True, roots=roots, postgres=backends)
        print(f"queue path, mean ms per stage: {stage_means_ms(ids)}")
        print("queue path, CPU by component:\n" + cpu.report(before, after, len(ids)))
        print(cpu.steal_note(steal, cpu.host_steal()))
    finally:
        pool.stop_all()
    per_task = {
        queue: 1000 * sum(after[k] - before.get(k, 0.0) for k in after
                          if k in (f"worker:{queue} main", f"worker:{queue} child")) / len(ids)
        for queue in LIGHT_STAGES
    }
    run = Run(f"queue (compile x{compiles})", len(pairs),
              sum(state != "succeeded" for state, _, _ in rows),
              max(end for _, _, end in rows) - start, [end - made for _, made, end in rows])
    return run, per_task


def overhead_report(per_task: dict[str, float], own: dict[str, float]) -> None:
    """The queue's own cost per task: each stage worker's CPU per task minus that stage's
    own CPU in-process."""
    print(f"{'stage':<10}{'worker ms/task':>16}{'in-process ms':>16}{'overhead ms':>14}")
    for stage in LIGHT_STAGES:
        print(f"{stage:<10}{per_task[stage]:>16.1f}{own[stage]:>16.1f}"
              f"{per_task[stage] - own[stage]:>14.1f}")
    mean = sum(per_task[s] - own[s] for s in LIGHT_STAGES) / len(LIGHT_STAGES)
    print(f"queue overhead per task, mean of {', '.join(LIGHT_STAGES)}: {mean:.1f} ms "
          f"(target <= 6 ms)")


def report(runs: list[Run]) -> None:
    print(f"{'path':<26}{'jobs':>6}{'failed':>8}{'wall s':>9}{'jobs/min':>10}"
          f"{'p50 s':>8}{'p95 s':>8}")
    for run in runs:
        print(f"{run.name:<26}{run.jobs:>6}{run.failed:>8}{run.wall_s:>9.1f}"
              f"{run.per_minute:>10.1f}{run.pct(0.5):>8.2f}{run.pct(0.95):>8.2f}")
    if len(runs) == 2 and runs[1].per_minute:
        ratio = runs[0].per_minute / runs[1].per_minute
        print(f"queue / in-process throughput: {ratio:.2f}x (target >= 0.85x)")


def main() -> None:
    from tests.service_fixtures import service_stack, start_seaweedfs, stop_process

    parser = argparse.ArgumentParser(prog="python -m bench.queue", description=__doc__)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--procs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=1800.0, help="queue path, seconds")
    parser.add_argument("--compile-procs", type=int, default=None,
                        help="compile worker processes (default: --procs)")
    parser.add_argument("--queue-only", action="store_true", help="skip the in-process run")
    args = parser.parse_args()
    pairs = workload(args.jobs)
    print(f"load average (1 min) at the start: {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory(prefix="rt-bench-") as tmp:
        s3 = start_seaweedfs(Path(tmp) / "s3")
        try:
            with service_stack(s3) as env:
                queued, per_task = run_queue(env, Path(tmp), s3.process.pid, pairs, args.procs,
                                             args.timeout, args.compile_procs)
                report([queued])
                if args.queue_only:
                    return
                inprocess, own = run_inprocess(pairs, args.procs, s3.process.pid,
                                               env["RT_DATABASE_URL"])
        finally:
            stop_process(s3.process)
    report([queued, inprocess])
    overhead_report(per_task, own)
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
