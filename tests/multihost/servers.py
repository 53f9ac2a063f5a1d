"""The shared servers of a multi-host test, each of its own, listening on one address that
every host reaches (the bridge's): Redis and a Postgres cluster (SeaweedFS is
`tests.service_fixtures.start_seaweedfs` on that address).

The machine's Postgres and Redis listen on 127.0.0.1 only, which another network namespace
cannot reach, so the test cannot use them. Each `start_*` returns a server whose `stop`
removes it and its data; a failed start cleans up what it made before raising.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
import redis

from tests.service_fixtures import free_ports, stop_process, wait_for

POSTGRES_USER = "postgres"


def free_port(address: str) -> int:
    return free_ports(1, address)[0]


# ---------------------------------------------------------------- Redis


@dataclass
class RedisServer:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def stop(self) -> None:
        stop_process(self.process)


def start_redis(address: str, workdir: Path) -> RedisServer:
    """No persistence: the test's broker only has to outlive the workers, not itself."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server not found (Debian package redis-server)")
    port = free_port(address)
    log_path = workdir / "redis.log"
    args = [binary, "--bind", address, "--port", str(port), "--save", "", "--appendonly", "no",
            "--dir", str(workdir), "--protected-mode", "no"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = RedisServer(f"redis://{address}:{port}/0", process, log_path)

    def answers() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited ({process.returncode}); see {log_path}")
        try:
            return bool(redis.Redis(host=address, port=port, socket_timeout=1).ping())
        except redis.ConnectionError:
            return False

    try:
        wait_for(answers, timeout=30, interval=0.1, what="Redis to answer")
    except BaseException:
        server.stop()
        raise
    return server


# ---------------------------------------------------------------- Postgres


def postgres_bin_dir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0)
    if not found:
        raise RuntimeError("no /usr/lib/postgresql/<version>/bin/initdb (Debian package "
                           "postgresql) to start the test's own Postgres cluster")
    return found[-1].parent


def _as_postgres(*args: str) -> None:
    result = subprocess.run(["runuser", "-u", POSTGRES_USER, "--", *args],
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({result.returncode}):\n"
                           f"{result.stdout[-2000:]}{result.stderr[-2000:]}")


@dataclass
class PostgresCluster:
    """A throwaway cluster: its own data directory, port and socket directory."""

    bin_dir: Path
    root: Path  # temp dir owned by postgres, holding data/ and the log
    address: str
    port: int

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_path(self) -> Path:
        return self.root / "postgres.log"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{POSTGRES_USER}@{self.address}:{self.port}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        return f"host={self.address} port={self.port} user={POSTGRES_USER} dbname={database}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Immediate shutdown (nothing to keep), then the data directory goes."""
        if (self.data_dir / "postmaster.pid").exists():
            try:
                _as_postgres(str(self.bin_dir / "pg_ctl"), "stop", "-D", str(self.data_dir),
                             "-m", "immediate", "-w")
            finally:
                shutil.rmtree(self.root, ignore_errors=True)
        else:
            shutil.rmtree(self.root, ignore_errors=True)


def start_postgres(address: str, subnet: str) -> PostgresCluster:
    """initdb and pg_ctl as the postgres user; listens on `address` only, with trust auth for
    `subnet` (the test's hosts); no unix socket beside the machine's cluster's."""
    bin_dir = postgres_bin_dir()
    # Not under pytest's tmp_path: that is root's and closed to the postgres user.
    root = Path(tempfile.mkdtemp(prefix="rt-multihost-pg-"))
    shutil.chown(root, user=POSTGRES_USER, group=POSTGRES_USER)
    cluster = PostgresCluster(bin_dir, root, address, free_port(address))
    try:
        _as_postgres(str(bin_dir / "initdb"), "-D", str(cluster.data_dir), "-U", POSTGRES_USER,
                     "--auth=trust", "--encoding=UTF8", "--no-sync")
        with (cluster.data_dir / "pg_hba.conf").open("a") as hba:
            hba.write(f"host all all {subnet} trust\n")
        options = (f"-c listen_addresses={address} -p {cluster.port} -k {root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        _as_postgres(str(bin_dir / "pg_ctl"), "start", "-D", str(cluster.data_dir), "-w",
                     "-t", "60", "-l", str(cluster.log_path), "-o", options)
    except BaseException:
        cluster.stop()
        raise
    return cluster
