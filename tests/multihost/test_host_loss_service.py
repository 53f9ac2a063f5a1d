"""A batch survives losing a whole worker host mid-batch.

Two hosts (network namespaces, tests/multihost/netns.py): `stages` runs the parse, score and
rewrite workers, `compile` the compile and upload workers; Postgres, Redis and S3 of the
test's own listen on the bridge address, the API, beat and the webhooks pool (which runs the
reaper) in the root namespace. Once a job is in flight on the victim host, every process of
that host gets SIGKILL (a machine losing power: no warm shutdown, no reject of the message),
then the host's workers start again. The interrupted jobs come back through the existing
mechanisms only (late acknowledgement with the visibility timeout, and the reaper), with the
short timeouts of tests/multihost/cluster.py.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx
import psycopg
import pytest
import redis
from psycopg.rows import dict_row

from tests.api import factories
from tests.api.conftest import poll
from tests.multihost.cluster import reaper_cutoff_s
from tests.multihost.conftest import ROLES, Cluster
from tests.multihost.netns import namespace_names
from tests.service_fixtures import wait_for

pytestmark = pytest.mark.service

POSTINGS = 12
# The stages each host's workers run, and the job state each puts the job in while it runs.
HOST_STAGES = {"stages": ("parse", "score", "rewrite"), "compile": ("compile", "upload")}
STAGE_OF_STATE = {"parsing": "parse", "scoring": "score", "rewriting": "rewrite",
                  "compiling": "compile", "uploading": "upload"}
ARTIFACTS = ("report.json", "resume.pdf", "resume.tex", "tailored.json")
QUEUES = ("parse", "score", "rewrite", "compile", "upload", "webhooks")
KILL_TRIES = 5
# Duties that lengthen each posting to about 20,000 characters, so each job spends tens of
# milliseconds in parse and score rather than a few: with the factories' short postings the
# whole batch could pass the `stages` host between two looks for a job in flight there.
_DUTIES = (
    "Design, build and operate services that handle {n} thousand requests a second",
    "Review pull requests and mentor {n} engineers on testing and code quality",
    "Own the on-call rotation for {n} services and write their incident reviews",
    "Plan quarterly roadmaps with product managers across {n} teams",
    "Profile and tune database queries behind {n} customer-facing dashboards",
    "Automate deployments and infrastructure for {n} environments",
)


def _posting(index: int, run: str) -> str:
    """A long posting, unique to this run: a posting the tenant submitted before (the other
    victim's run) would be served from the analysis cache, and parse would take no time."""
    duties = [duty.format(n=index + k) for k in range(45) for duty in _DUTIES]
    return (factories.posting(index) + "\n\n## Responsibilities\n"
            + "\n".join(f"- {duty}" for duty in duties) + f"\n\nReference: {run}-{index}")


def _in_flight(conn: psycopg.Connection[dict[str, Any]], batch_id: str,
               stages: tuple[str, ...]) -> dict[str, tuple[str, int]]:
    """Jobs of the batch that a worker of `stages` has started and not finished:
    job id → (stage, attempts so far)."""
    rows = conn.execute("SELECT id, state, stages FROM jobs WHERE batch_id = %s",
                        (batch_id,)).fetchall()
    found = {}
    for row in rows:
        stage = STAGE_OF_STATE.get(row["state"])
        info = (row["stages"] or {}).get(stage or "", {})
        if stage in stages and "finished" not in info:
            found[str(row["id"])] = (stage, int(info.get("attempts", 0)))
    return found


def _finished(conn: psycopg.Connection[dict[str, Any]], batch_id: str, stage: str) -> int:
    """How many jobs of the batch have finished `stage`."""
    row = conn.execute("SELECT count(*) AS n FROM jobs WHERE batch_id = %s "
                       "AND stages -> %s ? 'finished'", (batch_id, stage)).fetchone()
    return int(row["n"]) if row else 0


def _kill_mid_task(cluster: Cluster, victim: str, batch_id: str) -> dict[str, tuple[str, int]]:
    """SIGKILL every process of `victim` while one of its stages runs a job of the batch,
    once a third of the batch went through the host (mid-batch: jobs before, on and after
    it); returns the jobs the kill interrupted (read after the kill, when nothing of that
    host can finish them any more). A stage can end between the look and the kill: then the
    host starts again and the next stage is caught."""
    stages = HOST_STAGES[victim]

    def busy(conn: psycopg.Connection[dict[str, Any]]) -> bool:
        return (_finished(conn, batch_id, stages[0]) >= POSTINGS // 3
                and bool(_in_flight(conn, batch_id, stages)))

    with psycopg.connect(cluster.postgres.conninfo(cluster.database), row_factory=dict_row,
                         autocommit=True) as conn:
        for _ in range(KILL_TRIES):
            wait_for(lambda: busy(conn), timeout=180, interval=0.01,
                     what=f"a job of the batch to be running on host {victim}")
            killed = cluster.kill_host(victim)
            assert killed >= sum(spec.processes for spec in ROLES[victim])
            interrupted = _in_flight(conn, batch_id, stages)
            if interrupted:
                return interrupted
            cluster.start_host(victim)
    raise AssertionError(f"{KILL_TRIES} kills of host {victim} caught no task in flight")


@pytest.mark.parametrize("victim", ["compile", "stages"])
def test_batch_completes_after_a_worker_host_is_killed_mid_batch(
    hosts: Cluster, victim: str
) -> None:
    cluster = hosts
    run = uuid.uuid4().hex
    body = {
        "resume": factories.resume(),
        "postings": [{"label": f"posting-{i}", "posting": _posting(i, run)}
                     for i in range(POSTINGS)],
    }
    with httpx.Client(base_url=cluster.api_url, timeout=30,
                      headers=cluster.api_headers) as http:
        response = http.post("/v1/batches", json=body)
        assert response.status_code == 202, response.text
        batch_id = response.json()["id"]
        job_ids = response.json()["job_ids"]

        interrupted = _kill_mid_task(cluster, victim, batch_id)
        killed_at = time.monotonic()
        assert cluster.host(victim).pids() == []
        cluster.start_host(victim)

        # Recovery waits for the reaper (a stage's hard limit + backoff + grace after it
        # started) or the visibility timeout, whichever comes first; then the rest runs.
        batch = poll(http, f"/v1/batches/{batch_id}", until={"completed"}, timeout_s=360)
        recovered_in = time.monotonic() - killed_at

    # Nothing lost: every job of the batch succeeded, counted once.
    assert batch["counts"]["succeeded"] == POSTINGS, batch["counts"]
    assert [item["state"] for item in batch["items"]] == ["succeeded"] * POSTINGS
    assert len(batch["ranking"]) == POSTINGS
    [row] = cluster.query("SELECT state, total, succeeded, failed, cancelled FROM batches "
                          "WHERE id = %s", batch_id)
    assert row == {"state": "completed", "total": POSTINGS, "succeeded": POSTINGS,
                   "failed": 0, "cancelled": 0}

    # The interrupted jobs ran their stage again after the kill.
    jobs = {str(r["id"]): r for r in cluster.query(
        "SELECT id, tenant, state, stages, artifacts FROM jobs WHERE batch_id = %s", batch_id)}
    assert sorted(jobs) == sorted(job_ids)
    for job_id, (stage, attempts) in interrupted.items():
        assert jobs[job_id]["stages"][stage]["attempts"] > attempts, (job_id, stage)
    print(f"host {victim} killed with {len(interrupted)} job(s) in flight "
          f"({sorted({s for s, _ in interrupted.values()})}); batch completed "
          f"{recovered_in:.0f} s later (reaper cutoffs: "
          f"{ {s: reaper_cutoff_s(s) for s in HOST_STAGES[victim]} } s)")

    # No job stuck anywhere in the service, and no message left waiting in a queue.
    stuck = cluster.query("SELECT id, state FROM jobs WHERE state NOT IN "
                          "('succeeded', 'failed', 'cancelled')")
    assert stuck == []
    broker = redis.Redis.from_url(cluster.redis_url)
    wait_for(lambda: all(broker.llen(q) == 0 for q in QUEUES), timeout=30,
             what="every queue to be empty")

    # One set of artifacts per job: the bucket holds exactly the expected keys of every job
    # the module has run, and each job's record points at its own.
    everything = cluster.query("SELECT id, tenant, artifacts FROM jobs")
    expected = sorted(f"{r['tenant']}/{r['id']}/{name}" for r in everything for name in ARTIFACTS)
    assert sorted(cluster.bucket_keys()) == expected
    s3 = cluster.s3_client()
    for job_id, job in jobs.items():
        prefix = f"{job['tenant']}/{job_id}/"
        assert job["artifacts"] == {name: prefix + name for name in ARTIFACTS}
        pdf = s3.get_object(Bucket=cluster.bucket, Key=prefix + "resume.pdf")["Body"].read()
        assert pdf.startswith(b"%PDF-")
        report = json.loads(
            s3.get_object(Bucket=cluster.bucket, Key=prefix + "report.json")["Body"].read())
        assert report["pages"] == 1


def test_nothing_outlives_the_hosts(cluster: Cluster) -> None:
    """The hosts of the tests above were killed at their end: their namespaces hold no
    process (the namespaces themselves go with the module's lab)."""
    for host in cluster.lab.hosts.values():
        assert host.namespace in namespace_names()
        assert host.pids() == []
