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

Both paths are started once and measured in `--rounds` alternating rounds (queue then
in-process, in-process then queue, ...), each round a fresh `--jobs` jobs on each path; the
figures are the median round's. A single pair of runs here varies by ±0.03 in the ratio and
±1 ms a task from run to run with the same code (docs/benchmarks.md): alternating rounds
share whatever the machine is doing between the two paths, and the median drops a round the
host disturbed.

Then the queue's own cost per task: each light stage worker's CPU per task (from /proc, main
process and pool) minus that stage's own CPU in-process (the process clock around it). Target:
≤ 6 ms a task. CPU is counted for this benchmark's own processes only (its workers, API, S3
server, the Postgres backends serving its database; Redis is shared), since the machine is.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import multiprocessing
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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


@dataclass
class Cpu:
    """CPU seconds by component summed over a path's rounds, the jobs they ran, and the
    host's steal over them."""

    used: dict[str, float] = field(default_factory=dict)
    jobs: int = 0
    steal: list[int] = field(default_factory=lambda: [0, 0])

    def add(self, before: dict[str, float], after: dict[str, float], jobs: int,
            steal_before: tuple[int, int]) -> None:
        for key in after:
            self.used[key] = self.used.get(key, 0.0) + after[key] - before.get(key, 0.0)
        self.jobs += jobs
        steal_after = cpu.host_steal()
        self.steal[0] += steal_after[0] - steal_before[0]
        self.steal[1] += steal_after[1] - steal_before[1]

    def report(self) -> str:
        return (cpu.report({}, self.used, self.jobs) + "\n"
                + cpu.steal_note((0, 0), (self.steal[0], self.steal[1])))

    def per_task(self, key: str) -> float:
        return 1000 * self.used.get(key, 0.0) / self.jobs if self.jobs else 0.0


Measure = Callable[[list[tuple[dict[str, Any], str]]], tuple[Run, dict[str, float]]]


@contextlib.contextmanager
def inprocess_path(procs: int, s3_pid: int, database_url: str, used: Cpu) -> Iterator[Measure]:
    """A warmed pool of `procs` processes; yields a function running one round of pairs
    through it: the round, and each light stage's own CPU per job (ms)."""
    _tailor_one(workload(1)[0])  # warm the parent; forked children inherit the loaded models
    gc.freeze()  # as the workers do after loading (workers.app): the same GC treatment
    with multiprocessing.get_context("fork").Pool(procs, initializer=_start_child) as pool:
        pool.map(_tailor_one, workload(procs))  # warm each child
        pids = {child.pid: "in-process pool" for child in pool._pool}  # type: ignore[attr-defined]

        def measure(pairs: list[tuple[dict[str, Any], str]]) -> tuple[Run, dict[str, float]]:
            roots, backends = [*pids, s3_pid], cpu.postgres_backends(database_url)
            before = cpu.snapshot(pids, roots=roots, postgres=backends)
            steal = cpu.host_steal()
            start = time.time()
            results = pool.map(_tailor_one, pairs, chunksize=1)
            backends |= cpu.postgres_backends(database_url)
            used.add(before, cpu.snapshot(pids, roots=roots, postgres=backends), len(pairs),
                     steal)
            ends = [end for _, end, _ in results]
            own = {stage: 1000 * sum(spent.get(stage, 0.0) for _, _, spent in results)
                   / len(results) for stage in LIGHT_STAGES}
            return Run(f"in-process ({procs} procs)", len(pairs),
                       sum(not ok for ok, _, _ in results), max(ends) - start,
                       [end - start for end in ends]), own

        yield measure


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


@contextlib.contextmanager
def queue_path(env: dict[str, str], tmp: Path, s3_pid: int, procs: int, timeout_s: float,
               compile_procs: int | None, used: Cpu, ids: list[uuid.UUID]) -> Iterator[Measure]:
    """The API and one worker per queue, warmed; yields a function running one round of
    pairs through them: the round, and each light stage worker's CPU per task (ms, main
    process and pool). Each round's job ids are added to `ids`."""
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

            def measure(pairs: list[tuple[dict[str, Any], str]]) -> tuple[Run, dict[str, float]]:
                backends = cpu.postgres_backends(env["RT_DATABASE_URL"])
                before = cpu.snapshot(me, split_pools=True, roots=roots, postgres=backends)
                steal = cpu.host_steal()
                start = time.time()
                round_ids = submit_http(url, pairs)
                # Each job's end is its own finished_at, so polling once a second loses no
                # precision and keeps the benchmark's queries off the cores.
                rows = wait_for(lambda: _finished(round_ids), timeout=timeout_s, interval=1.0,
                                what="the queued jobs")
                backends |= cpu.postgres_backends(env["RT_DATABASE_URL"])
                after = cpu.snapshot(me, split_pools=True, roots=roots, postgres=backends)
                used.add(before, after, len(round_ids), steal)
                ids.extend(round_ids)
                per_task = {
                    queue: 1000 * sum(after[k] - before.get(k, 0.0) for k in after
                                      if k in (f"worker:{queue} main", f"worker:{queue} child"))
                    / len(round_ids)
                    for queue in LIGHT_STAGES
                }
                return Run(f"queue (compile x{compiles})", len(pairs),
                           sum(state != "succeeded" for state, _, _ in rows),
                           max(end for _, _, end in rows) - start,
                           [end - made for _, made, end in rows]), per_task

            yield measure
    finally:
        pool.stop_all()


def worker_ms(used: Cpu, stage: str) -> float:
    return used.per_task(f"worker:{stage} main") + used.per_task(f"worker:{stage} child")


def overhead_report(used: Cpu, own: dict[str, float], rounds: list[float]) -> None:
    """The queue's own cost per task over all rounds: each stage worker's CPU per task minus
    that stage's own CPU in-process; then the median round's mean."""
    print(f"{'stage':<10}{'worker ms/task':>16}{'in-process ms':>16}{'overhead ms':>14}")
    for stage in LIGHT_STAGES:
        worker = worker_ms(used, stage)
        print(f"{stage:<10}{worker:>16.1f}{own[stage]:>16.1f}{worker - own[stage]:>14.1f}")
    print(f"queue overhead per task, mean of {', '.join(LIGHT_STAGES)}, median of "
          f"{len(rounds)} rounds: {statistics.median(rounds):.1f} ms "
          f"(rounds: {', '.join(f'{r:.1f}' for r in rounds)}; target <= 6 ms)")


def report(runs: list[Run]) -> None:
    print(f"{'path':<26}{'jobs':>6}{'failed':>8}{'wall s':>9}{'jobs/min':>10}"
          f"{'p50 s':>8}{'p95 s':>8}")
    for run in runs:
        print(f"{run.name:<26}{run.jobs:>6}{run.failed:>8}{run.wall_s:>9.1f}"
              f"{run.per_minute:>10.1f}{run.pct(0.5):>8.2f}{run.pct(0.95):>8.2f}")


def mean_overhead(per_task: dict[str, float], own: dict[str, float]) -> float:
    return sum(per_task[s] - own[s] for s in LIGHT_STAGES) / len(LIGHT_STAGES)


def main() -> None:
    from tests.service_fixtures import service_stack, start_seaweedfs, stop_process

    parser = argparse.ArgumentParser(prog="python -m bench.queue", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=200, help="jobs per path and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--procs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="queue path, seconds a round")
    parser.add_argument("--compile-procs", type=int, default=None,
                        help="compile worker processes (default: --procs)")
    parser.add_argument("--queue-only", action="store_true", help="skip the in-process path")
    args = parser.parse_args()
    if args.jobs < 1 or args.rounds < 1:
        parser.error("--jobs and --rounds must be at least 1")
    print(f"load average (1 min) at the start: {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")
    queue_cpu, inprocess_cpu = Cpu(), Cpu()
    ids: list[uuid.UUID] = []
    runs: list[tuple[Run, Run | None]] = []
    ratios: list[float] = []
    overheads: list[float] = []
    own_total = dict.fromkeys(LIGHT_STAGES, 0.0)
    with tempfile.TemporaryDirectory(prefix="rt-bench-") as tmp, contextlib.ExitStack() as stack:
        s3 = start_seaweedfs(Path(tmp) / "s3")
        stack.callback(stop_process, s3.process)
        env = stack.enter_context(service_stack(s3))
        # The in-process pool forks first, from a parent that has started nothing else.
        inprocess = None if args.queue_only else stack.enter_context(inprocess_path(
            args.procs, s3.process.pid, env["RT_DATABASE_URL"], inprocess_cpu))
        queued = stack.enter_context(queue_path(
            env, Path(tmp), s3.process.pid, args.procs, args.timeout, args.compile_procs,
            queue_cpu, ids))
        for number in range(1, args.rounds + 1):
            # Alternate which path goes first, so neither always follows the other's teardown.
            first_queue = number % 2 == 1 or inprocess is None
            results: dict[str, tuple[Run, dict[str, float]]] = {}
            for path in (("queue", "in-process") if first_queue else ("in-process", "queue")):
                if path == "queue":
                    results[path] = queued(workload(args.jobs))
                elif inprocess is not None:
                    results[path] = inprocess(workload(args.jobs))
            queue_run, per_task = results["queue"]
            line = f"round {number}: queue {queue_run.per_minute:.1f} jobs/min"
            if "in-process" in results:
                inprocess_run, own = results["in-process"]
                ratios.append(queue_run.per_minute / inprocess_run.per_minute)
                overheads.append(mean_overhead(per_task, own))
                for stage in LIGHT_STAGES:
                    own_total[stage] += own[stage] / args.rounds
                line += (f", in-process {inprocess_run.per_minute:.1f}: {ratios[-1]:.2f}x; "
                         f"overhead {overheads[-1]:.1f} ms a task")
                runs.append((queue_run, inprocess_run))
            else:
                runs.append((queue_run, None))
            print(line, flush=True)
        print(f"queue path, mean ms per stage: {stage_means_ms(ids)}")  # before the drop
    print("queue path, CPU by component over all rounds:\n" + queue_cpu.report())
    if inprocess_cpu.jobs:
        print("in-process, CPU by component over all rounds:\n" + inprocess_cpu.report())
    report([run for pair in runs for run in pair if run is not None])
    if ratios:
        print(f"queue / in-process throughput, median of {len(ratios)} rounds: "
              f"{statistics.median(ratios):.2f}x (rounds: "
              f"{', '.join(f'{r:.2f}' for r in ratios)}; target >= 0.85x)")
        overhead_report(queue_cpu, own_total, overheads)
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
