"""CPU seconds per component, read from /proc, so a benchmark can say where a job's CPU went
(worker pools by queue, the S3 server, Postgres, Redis, TeX runs) and not only how long it took.

Each process counts its own time plus that of its children it has already reaped (`cutime`,
`cstime`): a TeX run or a recycled pool child is counted in the process that waited for it,
and a live child is counted once, on its own.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path


def _group(cmdline: list[str]) -> str | None:
    text = " ".join(cmdline)
    if "celery" in text and "-Q" in cmdline:
        return "worker:" + cmdline[cmdline.index("-Q") + 1].rsplit(":", 1)[-1]
    if "celery" in text:
        return "celery (other)"
    name = Path(cmdline[0].split(" ")[0]).name if cmdline else ""
    if name in {"pdflatex", "lualatex", "pdftotext"} or name.endswith("tex"):
        return "tex (running)"
    if name == "weed":
        return "s3 (weed)"
    if name == "postgres" or text.startswith("postgres:"):  # the postmaster, its backends
        return "postgres"
    if name == "redis-server":
        return "redis"
    if "uvicorn" in text:
        return "api"
    return None


def snapshot(extra: dict[int, str] | None = None, *, split_pools: bool = False,
             roots: Iterable[int] | None = None, postgres: Iterable[int] = ()) -> dict[str, float]:
    """CPU seconds so far, by component; `extra` names further pids (the benchmark itself),
    whose otherwise unrecognised child processes count with them. `split_pools` counts a
    Celery worker's main process apart from its pool children.

    `roots`: count only these processes and their descendants (the benchmark's own workers,
    API and S3 server), plus the Postgres backends in `postgres` (those serving the
    benchmark's database) and Redis; the machine is shared, and other people's workers and
    queries would otherwise count as ours. Without it, every process that looks like one of
    ours counts."""
    tick = os.sysconf("SC_CLK_TCK")
    seen: dict[int, tuple[str | None, int, float]] = {}
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace").split("\0")
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        pid = int(proc.name)
        group = (extra or {}).get(pid) or _group([c for c in cmdline if c])
        # utime, stime, cutime, cstime (fields 14-17 of stat; 11-14 after the name)
        seen[pid] = (group, int(fields[1]), sum(int(v) for v in fields[11:15]) / tick)
    named = extra or {}
    totals: defaultdict[str, float] = defaultdict(float)
    if roots is not None:
        keep = set(roots) | set(named) | set(postgres)

        def ours(pid: int) -> bool:
            for _ in range(64):  # walk up to a root, or to a process that is not ours
                if pid in keep:
                    return True
                entry = seen.get(pid)
                if entry is None or entry[1] <= 1:
                    return False
                pid = entry[1]
            return False

        seen = {pid: entry for pid, entry in seen.items()
                if entry[0] == "redis" or (entry[0] != "postgres" and ours(pid))
                or pid in set(postgres)}
    for group, parent, used in seen.values():
        # A process we recognise is itself (the bench's workers, S3 server, API); one we do
        # not counts with its named parent (uvicorn's spawned workers, say).
        group = group or named.get(parent)
        if group is None:
            continue
        if split_pools and group.startswith("worker:"):
            group += " child" if seen.get(parent, (None,))[0] == group else " main"
        totals[group] += used
    return totals


def postgres_backends(database_url: str) -> set[int]:
    """The pids of the Postgres backends connected to this URL's database now."""
    import psycopg
    from sqlalchemy import make_url

    url = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                            " AND pid <> pg_backend_pid()").fetchall()
    return {int(pid) for (pid,) in rows}


def report(before: dict[str, float], after: dict[str, float], jobs: int) -> str:
    """'component: ms per job' lines, heaviest first, and the total."""
    used = {k: after[k] - before.get(k, 0.0) for k in after}
    used = {k: v for k, v in used.items() if v > 0.005}
    lines = [f"  {k:<18}{1000 * v / jobs:8.1f} ms/job" for k, v in
             sorted(used.items(), key=lambda kv: -kv[1])]
    lines.append(f"  {'total':<18}{1000 * sum(used.values()) / jobs:8.1f} ms/job")
    return "\n".join(lines)


def host_steal() -> tuple[int, int]:
    """(steal, total) CPU ticks since boot from /proc/stat: time the hypervisor gave this
    machine's CPUs to someone else. A run with much of it measured a busy host, not us."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (fields[7] if len(fields) > 7 else 0), sum(fields)


def steal_note(before: tuple[int, int], after: tuple[int, int]) -> str:
    steal, total = after[0] - before[0], after[1] - before[1]
    share = 100 * steal / total if total else 0.0
    warning = " (the host was busy: compare runs with little steal)" if share > 2 else ""
    return f"host steal during the run: {share:.1f}% of CPU time{warning}"
