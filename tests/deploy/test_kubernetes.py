"""deploy/ (Kubernetes), offline: every manifest against Kubernetes' schemas (kubernetes-validate)
or, for KEDA's resources, deploy/schemas; and what the deployment promises: a hardened pod per
component, probes, a Deployment, PodDisruptionBudget and ScaledObject per queue scaling on that
queue's Redis list, grace above each task's time limit, the migrations as a Job."""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
import sys
from typing import Any

import pytest
import redis
import yaml

from tests.deploy.composefile import load_compose, our_services, read_dotenv
from tests.deploy.manifests import (
    BASE,
    KUSTOMIZATION,
    ROOT,
    documents,
    manifest_files,
    of_kind,
    pod_spec,
    problems,
    redis_queue_key,
    resources,
)
from workers.app import longest_time_limit_s, worker_pool
from workers.settings import QUEUES, Settings

FIXTURES = ROOT / "tests" / "deploy" / "fixtures"


def _workloads() -> dict[str, dict[str, Any]]:
    return {**of_kind("Deployment"), **of_kind("Job")}


def _worker_deployments() -> dict[str, dict[str, Any]]:
    """queue → the Deployment whose worker consumes it."""
    config = of_kind("ConfigMap")["resume-tailor-config"]["data"]
    found = {}
    for doc in of_kind("Deployment").values():
        command = pod_spec(doc)["containers"][0]["command"]
        if command[:4] == ["celery", "-A", "workers", "worker"]:
            queue = command[command.index("-Q") + 1]
            prefix = config["RT_KEY_PREFIX"]
            assert queue.startswith(prefix), f"{doc['metadata']['name']}: -Q without prefix"
            found[queue.removeprefix(prefix)] = doc
    return found


@pytest.mark.parametrize("path", manifest_files(), ids=lambda p: str(p.relative_to(BASE)))
def test_manifest_is_valid(path: Any) -> None:
    for doc in documents(path):
        assert problems(doc) == [], f"{path.name}: {doc['kind']}/{doc['metadata']['name']}"


def test_broken_manifests_are_refused() -> None:
    (scaled_object,) = documents(FIXTURES / "broken-scaledobject.yaml")
    found = "\n".join(problems(scaled_object))
    for expected in ("spec.scaleTargetRef: 'name' is a required property",
                     "spec.minReplicaCount: '1' is not of type 'integer'",
                     "'coolDownPeriod' was unexpected",
                     "spec.triggers.0.metadata.listLength: 20 is not of type 'string'"):
        assert expected in found
    (deployment,) = documents(FIXTURES / "broken-deployment.yaml")
    assert problems(deployment)


def test_kustomization_lists_every_manifest() -> None:
    listed = yaml.safe_load((BASE / KUSTOMIZATION).read_text())["resources"]
    assert sorted(BASE / name for name in listed) == manifest_files()
    overlay = yaml.safe_load((ROOT / "deploy/overlays/production" / KUSTOMIZATION).read_text())
    images = {image["name"] for image in overlay["images"]}
    used = {c["image"].split(":")[0] for doc in _workloads().values()
            for c in pod_spec(doc)["containers"]}
    assert used == images
    secret_keys = set(read_dotenv(ROOT / "deploy/overlays/production/secrets.env.example"))
    for auth in of_kind("TriggerAuthentication").values():
        assert {ref["key"] for ref in auth["spec"]["secretTargetRef"]} <= secret_keys


def test_pods_are_hardened_and_bounded() -> None:
    for name, doc in _workloads().items():
        spec = pod_spec(doc)
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] != 0, name
        assert spec["automountServiceAccountToken"] is False, name
        mounts_of_volume = {v["name"] for v in spec["volumes"]}
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"]["drop"] == ["ALL"], name
            for kind in ("requests", "limits"):
                assert set(container["resources"][kind]) == {"cpu", "memory"}, name
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert mounts["/tmp"] in mounts_of_volume, f"{name}: writable /tmp"


def test_api_probes_and_service() -> None:
    api = pod_spec(of_kind("Deployment")["resume-tailor-api"])["containers"][0]
    assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
    # /readyz gives each dependency the API's readiness timeout; the probe waits longer.
    assert api["readinessProbe"]["timeoutSeconds"] > 2
    service = of_kind("Service")["resume-tailor-api"]
    assert service["spec"]["selector"].items() <= (
        of_kind("Deployment")["resume-tailor-api"]["spec"]["template"]["metadata"]["labels"]
    ).items()
    assert of_kind("Job")["resume-tailor-migrate"]["spec"]["template"]["spec"]["containers"][0][
        "command"] == ["resume-tailor-admin", "migrate"]


def test_commands_are_the_ones_compose_runs() -> None:
    """The commands the compose test starts as processes are the commands the pods run."""
    compose = our_services(load_compose())
    compose_commands = {tuple(service["command"]) for service in compose.values()}
    for name, doc in _workloads().items():
        command = tuple(pod_spec(doc)["containers"][0]["command"])
        assert command in compose_commands, name


def test_one_pool_per_queue_with_liveness_grace_budget_and_scaler() -> None:
    settings = Settings()
    config = of_kind("ConfigMap")["resume-tailor-config"]["data"]
    pools = _worker_deployments()
    assert sorted(pools) == sorted(QUEUES)
    budgets = {doc["spec"]["selector"]["matchLabels"]["app.kubernetes.io/component"]
               for doc in of_kind("PodDisruptionBudget").values()}
    scalers = {doc["spec"]["scaleTargetRef"]["name"]: doc
               for doc in of_kind("ScaledObject").values()}
    for queue, doc in pools.items():
        name = doc["metadata"]["name"]
        spec = pod_spec(doc)
        container = spec["containers"][0]
        command = container["command"]
        node = command[command.index("-n") + 1]
        assert node == f"{queue}@%h", name
        # Liveness: this node (the pod's hostname) answers a ping through the broker.
        probe = shlex.split(container["livenessProbe"]["exec"]["command"][-1])
        assert probe[-1] == f"{queue}@$HOSTNAME", name
        assert probe[:6] == ["exec", "celery", "-A", "workers", "inspect", "ping"], name
        assert command[command.index("-P") + 1] == worker_pool(queue), name
        longest = longest_time_limit_s(queue, settings)
        assert spec["terminationGracePeriodSeconds"] > longest, name
        if worker_pool(queue) == "solo":  # pings go unanswered while a task runs
            liveness = container["livenessProbe"]
            assert liveness["periodSeconds"] * (liveness["failureThreshold"] - 1) > longest, name
        assert "replicas" not in doc["spec"], f"{name}: KEDA owns the replica count"
        assert doc["metadata"]["labels"]["app.kubernetes.io/component"] in budgets, name
        scaler = scalers[name]["spec"]
        (trigger,) = scaler["triggers"]
        assert trigger["type"] == "redis", name
        assert trigger["metadata"]["listName"] == redis_queue_key(config["RT_KEY_PREFIX"], queue)
        assert trigger["metadata"]["addressFromEnv"] in config, name
        assert scaler["minReplicaCount"] == (0 if queue == "compile" else 1), name
        assert scaler["maxReplicaCount"] >= max(1, scaler["minReplicaCount"]), name
    # Only the compile pool scales from zero: a running worker of any other pool restores
    # messages a vanished worker held (Redis visibility timeout), which KEDA then sees.


def test_network_policy_denies_ingress_but_to_the_api_and_flower() -> None:
    policies = of_kind("NetworkPolicy")
    default = policies["resume-tailor-deny-ingress"]["spec"]
    assert default["policyTypes"] == ["Ingress"] and "ingress" not in default
    labels = {doc["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/part-of"]
              for doc in _workloads().values()}
    assert labels == set(default["podSelector"]["matchLabels"].values())
    # The workers' metrics port has its own policy (tests/deploy/test_monitoring.py).
    opened = {p["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/component"]
              for name, p in policies.items()
              if name not in ("resume-tailor-deny-ingress", "resume-tailor-worker-metrics-ingress")}
    assert opened == {"api", "flower"}


def test_every_resource_is_labelled_part_of_the_service() -> None:
    for path, doc in resources():
        assert doc["metadata"]["labels"]["app.kubernetes.io/part-of"] == "resume-tailor", path


@pytest.mark.service
def test_redis_queue_key_is_where_the_broker_keeps_a_queue() -> None:
    """The rule the ScaledObjects' listName follows, against the real broker transport (in a
    process of its own, so this session's Celery app keeps its configuration)."""
    from tests.service_fixtures import BASE_REDIS_URL, delete_prefixed_keys

    prefix = f"rt_test_{secrets.token_hex(4)}:"
    env = {**os.environ, "RT_KEY_PREFIX": prefix, "RT_BROKER_URL": BASE_REDIS_URL}
    publish = ("from workers.app import STAGE_TASKS, app; "
               "app.send_task(STAGE_TASKS['parse'], args=['not-a-job'])")
    try:
        subprocess.run([sys.executable, "-c", publish], env=env, cwd=ROOT, check=True,
                       timeout=60)
        assert redis.Redis.from_url(BASE_REDIS_URL).llen(redis_queue_key(prefix, "parse")) == 1
    finally:
        delete_prefixed_keys(BASE_REDIS_URL, prefix)
