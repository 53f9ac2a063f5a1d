"""docker-compose.yml and .env.example, offline: the Compose specification, and what the
deployment promises (a pool per queue, health checks, hardening, grace above time limits)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.deploy.composefile import (
    COMPOSE_FILE,
    ENV_EXAMPLE,
    InterpolationError,
    environment,
    interpolate,
    load_compose,
    our_services,
    read_dotenv,
    seconds,
)
from workers.app import longest_time_limit_s, worker_pool
from workers.settings import QUEUES, Settings

BIN = Path(sys.executable).parent
# Settings naming another service of the compose file by its host name.
URL_SETTINGS = ("RT_DATABASE_URL", "RT_BROKER_URL", "RT_RESULT_BACKEND", "RT_REDIS_URL",
                "RT_S3_ENDPOINT_URL")


def test_compose_file_follows_the_compose_specification() -> None:
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec",
         str(COMPOSE_FILE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_env_example_defines_every_required_value() -> None:
    compose = load_compose()  # raises InterpolationError naming a missing value
    with pytest.raises(InterpolationError, match="POSTGRES_PASSWORD"):
        load_compose({k: v for k, v in read_dotenv(ENV_EXAMPLE).items()
                      if k != "POSTGRES_PASSWORD"})
    assert compose["services"]


def test_interpolation_follows_compose() -> None:
    values = {"SET": "x", "EMPTY": ""}
    assert interpolate("$$HOME ${SET} $SET", values) == "$HOME x x"
    assert interpolate("${EMPTY:-d} ${EMPTY-d} ${UNSET-d}", values) == "d  d"
    with pytest.raises(InterpolationError, match="UNSET: say so"):
        interpolate("${UNSET:?say so}", values)


def test_one_worker_service_per_queue_consuming_the_prefixed_queue() -> None:
    compose = load_compose({**read_dotenv(ENV_EXAMPLE), "RT_KEY_PREFIX": "p1:"})
    consumed: dict[str, str] = {}
    for name, service in our_services(compose).items():
        command = service["command"]
        if command[:4] == ["celery", "-A", "workers", "worker"]:
            queues = command[command.index("-Q") + 1].split(",")
            assert len(queues) == 1, f"{name}: one queue per pool"
            consumed[queues[0]] = name
            assert "--without-mingle" in command and "-O" in command, name
            pool = command[command.index("-P") + 1]
            assert pool == worker_pool(queues[0].removeprefix("p1:")), name
            assert ("-c" in command) == (pool == "prefork"), name
    assert sorted(consumed) == sorted(f"p1:{queue}" for queue in QUEUES)


def test_workers_stop_within_a_grace_above_their_time_limit() -> None:
    settings = Settings()
    for name, service in our_services(load_compose()).items():
        command = service["command"]
        if "worker" not in command:
            continue
        queue = command[command.index("-Q") + 1]
        # Every task routed there: parse also ranks batches, webhooks also reaps and purges.
        assert seconds(service["stop_grace_period"]) > longest_time_limit_s(queue, settings), name


def test_our_services_are_hardened_and_checked() -> None:
    compose = load_compose()
    one_shot = {"migrate", "bucket"}
    for name, service in our_services(compose).items():
        assert service["read_only"] is True, name
        assert service["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in service["security_opt"], name
        assert not str(service["user"]).startswith("0"), name
        assert "/tmp" in service["tmpfs"], name
        if name not in one_shot:
            assert service["healthcheck"]["test"], name
    assert compose["services"]["migrate"]["command"] == ["resume-tailor-admin", "migrate"]
    for name in ("postgres", "redis", "s3"):
        assert compose["services"][name]["healthcheck"]["test"], name


def test_dependencies_exist_and_wait_for_what_they_need() -> None:
    compose = load_compose()
    services = compose["services"]
    for name, service in services.items():
        for target, rule in (service.get("depends_on") or {}).items():
            assert target in services, f"{name}.depends_on: no service {target}"
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[target], f"{name}.depends_on.{target}"
            if rule["condition"] == "service_completed_successfully":
                assert services[target]["restart"] == "no", f"{name}.depends_on.{target}"
    for name, service in our_services(compose).items():
        env = environment(service)
        for setting in URL_SETTINGS:
            host = urlsplit(env[setting]).hostname
            assert host in services, f"{name}.environment.{setting}: no service {host}"
            # A long-running service waits for what it talks to (Flower only reads the
            # broker; each one-shot waits for the one server it sets up).
            if name not in ("flower", "migrate", "bucket"):
                assert host in (service.get("depends_on") or {}), f"{name}: {host}"


def test_volumes_keep_postgres_redis_and_s3_data() -> None:
    compose = load_compose()
    for name, path in (("postgres", "/var/lib/postgresql/data"), ("redis", "/data"),
                       ("s3", "/data")):
        mounts = [volume.split(":") for volume in compose["services"][name]["volumes"]]
        assert any(target == path and source in compose["volumes"]
                   for source, target in mounts), name
