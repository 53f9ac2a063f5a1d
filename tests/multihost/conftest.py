"""Fixtures for multi-host tests: a bridge with two worker hosts (network namespaces), the
shared servers of the test's own on the bridge address, migrations, and the control plane
(API, beat, the webhooks pool) in the root namespace.

Module-scoped: the servers start once per test module; each test starts the hosts' workers
itself (`hosts`) and gets them stopped, whatever happened. Every finalizer runs on failure
too, so no namespace, process or temp directory outlives the run.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import psycopg
import pytest
from botocore.config import Config
from psycopg.rows import dict_row

from tests.multihost.cluster import BIN, ROOT, Processes, WorkerSpec, process_env, service_env
from tests.multihost.netns import Host, Lab, NamespacesUnavailable, open_lab, unavailable_reason
from tests.multihost.servers import (
    PostgresCluster,
    start_postgres,
    start_redis,
)
from tests.service_fixtures import S3Server, start_seaweedfs, stop_process

# What each host runs (README: one worker per queue, compile with more processes).
ROLES: dict[str, tuple[WorkerSpec, ...]] = {
    "stages": (WorkerSpec("stages", ("parse", "score", "rewrite")),),
    "compile": (WorkerSpec("compile", ("compile",), concurrency=2),
                WorkerSpec("upload", ("upload",))),
}
CONTROL = (WorkerSpec("webhooks", ("webhooks",)),)  # also runs the reaper beat schedules


@dataclass
class Cluster:
    api_url: str
    lab: Lab
    processes: Processes
    postgres: PostgresCluster
    database: str
    s3: S3Server
    bucket: str
    redis_url: str
    api_headers: dict[str, str]

    def host(self, name: str) -> Host:
        return self.lab.hosts[name]

    def start_host(self, name: str) -> None:
        self.processes.start_role(self.host(name), ROLES[name])

    def kill_host(self, name: str) -> int:
        killed = self.host(name).kill_all()
        self.processes.reap_exited()
        return killed

    def query(self, sql: str, *params: Any) -> list[dict[str, Any]]:
        with psycopg.connect(self.postgres.conninfo(self.database), row_factory=dict_row,
                             autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def s3_client(self) -> Any:
        return boto3.client(
            "s3", endpoint_url=self.s3.endpoint_url, aws_access_key_id=self.s3.access_key,
            aws_secret_access_key=self.s3.secret_key, region_name="us-east-1",
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))

    def bucket_keys(self) -> list[str]:
        keys: list[str] = []
        for page in self.s3_client().get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket):
            keys += [item["Key"] for item in page.get("Contents", [])]
        return keys


@pytest.fixture(scope="module")
def lab() -> Iterator[Lab]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(f"multi-host tests make network namespaces: {reason}")
    made = open_lab()
    try:
        for name in ROLES:
            made.add_host(name)
    except NamespacesUnavailable as exc:
        made.close()
        pytest.skip(f"multi-host tests make network namespaces: {exc}")
    except BaseException:
        made.close()
        raise
    yield made
    errors = made.close()
    assert not errors, f"lab teardown: {errors}"


def admin(env: dict[str, str], *args: str) -> str:
    """`resume-tailor-admin ARGS` on the cluster's settings; its standard output."""
    done = subprocess.run([str(BIN / "resume-tailor-admin"), *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"resume-tailor-admin {' '.join(args)} exited {done.returncode}:\n"
                           f"{done.stderr[-3000:]}")
    return done.stdout


@pytest.fixture(scope="module")
def cluster(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """Servers on the bridge address, migrated, the bucket made, API + control workers up."""
    workdir = tmp_path_factory.mktemp("multihost")
    address = lab.bridge_address
    stops: list[Any] = []
    try:
        redis_server = start_redis(address, workdir)
        stops.append(redis_server.stop)
        postgres = start_postgres(address, str(lab.subnet))
        stops.append(postgres.stop)
        s3 = start_seaweedfs(workdir / "s3", address)
        stops.append(lambda: stop_process(s3.process))
        database = "resume_tailor"
        bucket = f"rt-multihost-{lab.token}"
        rt_env = service_env(
            database_url=postgres.create_database(database), redis_url=redis_server.url,
            s3_endpoint=s3.endpoint_url, s3_access_key=s3.access_key,
            s3_secret_key=s3.secret_key, bucket=bucket)
        env = process_env(rt_env)
        admin(env, "migrate")
        admin(env, "ensure-bucket")
        # The key an operator makes for a platform; its one line on stdout is the key.
        api_key = admin(env, "keys", "create", "--tenant", "multihost").strip()
        processes = Processes(workdir / "logs", env)
        processes.logdir.mkdir()
        stops.append(processes.stop_all)
        api_url = processes.start_api()
        processes.start_role(None, CONTROL)
        processes.start_beat(workdir / "celerybeat-schedule")
        yield Cluster(api_url, lab, processes, postgres, database, s3, bucket,
                      redis_server.url, {"X-API-Key": api_key})
    finally:
        for stop in reversed(stops):
            stop()


@pytest.fixture
def hosts(cluster: Cluster, request: pytest.FixtureRequest) -> Iterator[Cluster]:
    """`cluster` with every host's workers started; afterwards every host's processes are
    killed and the workers' logs are printed if the test failed."""
    try:
        for name in ROLES:
            cluster.start_host(name)
        yield cluster
    finally:
        for name in ROLES:
            cluster.kill_host(name)
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            print(cluster.processes.logs_tail())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report

