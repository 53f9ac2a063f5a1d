"""deploy/prometheus/alerts.yml and deploy/grafana/resume-tailor.json, offline: every metric
their PromQL names is one the service exports (the API's /metrics as create_app builds it,
and the workers' metrics), every alert is documented, and each worker Deployment serves its
exporter where the scrape annotations, the container port and the network policy say."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from tests.deploy.manifests import ROOT, of_kind, pod_spec
from tests.service_fixtures import BASE_REDIS_URL, delete_prefixed_keys
from workers import metrics
from workers.settings import QUEUES, Settings

ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
DASHBOARD = ROOT / "deploy" / "grafana" / "resume-tailor.json"
OPERATIONS = ROOT / "docs" / "operations.md"
# Metric names the service defines start with these; anything else in an expression is a
# function, a label, a keyword or another exporter's metric.
OWN_PREFIXES = (metrics.PREFIX, "http_request")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_IDENTIFIER = re.compile(r"(?<![\w$])[A-Za-z_:][\w:]*")


def metric_names(expr: str) -> set[str]:
    """The service's metric names in a PromQL expression: identifiers outside string
    literals (label values, label_replace's arguments) that start with one of its prefixes."""
    return {name for name in _IDENTIFIER.findall(_STRING.sub('""', expr))
            if name.startswith(OWN_PREFIXES)}


def balanced(expr: str) -> bool:
    """Brackets close in order (no PromQL parser here: the cheapest syntax check there is)."""
    stack: list[str] = []
    pairs = {")": "(", "]": "[", "}": "{"}
    for char in _STRING.sub('""', expr):
        if char in "([{":
            stack.append(char)
        elif char in pairs and (not stack or stack.pop() != pairs[char]):
            return False
    return not stack


def alert_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def dashboard_exprs() -> Iterator[tuple[str, str]]:
    for panel in json.loads(DASHBOARD.read_text())["panels"]:
        for target in panel["targets"]:
            yield panel["title"], target["expr"]


@pytest.fixture(scope="module")
def exported() -> set[str]:
    """The sample names the API's /metrics shows (over the machine's Redis, under a random
    prefix) plus those of the workers' exporters."""
    prefix = f"rt_test_{uuid.uuid4().hex[:8]}:"
    settings = Settings(key_prefix=prefix, broker_url=BASE_REDIS_URL, redis_url=BASE_REDIS_URL)
    try:
        # Through the app (its lifespan not run: no database), as Prometheus scrapes it.
        response = TestClient(create_app(settings)).get("/metrics")
        assert response.status_code == 200
        text = response.text
    finally:
        delete_prefixed_keys(BASE_REDIS_URL, prefix)
    api = metrics.sample_names(text_string_to_metric_families(text))
    assert "resume_tailor_queue_length" in api, "the API did not read the queues"
    workers = metrics.sample_names(family for metric in metrics.ALL for family in metric.collect())
    return api | workers


def test_the_extractor_finds_metric_names_only() -> None:
    expr = ('sum by (queue) (rate(resume_tailor_nope_total{outcome="resume_tailor_x"}[5m])) '
            '/ on (queue) label_replace(http_requests_total, "q", "$1", "resume_tailor_y", "(.*)")'
            ' and up')
    assert metric_names(expr) == {"resume_tailor_nope_total", "http_requests_total"}
    assert balanced(expr) and not balanced("sum(rate(x[5m))")


def test_alerts_query_only_exported_metrics_and_are_documented(exported: set[str]) -> None:
    rules = alert_rules()
    names = [rule["alert"] for rule in rules]
    assert len(names) == len(set(names)), "alert names repeat"
    docs = OPERATIONS.read_text()
    for rule in rules:
        used = metric_names(rule["expr"])
        assert used, f"{rule['alert']}: queries none of the service's metrics"
        assert balanced(rule["expr"]), rule["alert"]
        assert used <= exported, f"{rule['alert']}: not exported: {sorted(used - exported)}"
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, rule["alert"]
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]
        assert f"`{rule['alert']}`" in docs, f"{rule['alert']}: not in docs/operations.md"


def test_dashboard_queries_only_exported_metrics(exported: set[str]) -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] and dashboard["templating"]["list"][0]["type"] == "datasource"
    seen: set[str] = set()
    for title, expr in dashboard_exprs():
        used = metric_names(expr)
        assert used, f"{title}: queries none of the service's metrics"
        assert balanced(expr), title
        assert used <= exported, f"{title}: not exported: {sorted(used - exported)}"
        seen |= used
    # Each kind of metric the brief asks for has a panel.
    for name in ("resume_tailor_jobs_finished_total", "resume_tailor_stage_duration_seconds_bucket",
                 "resume_tailor_queue_length", "resume_tailor_task_retries_total",
                 "resume_tailor_ai_breaker_state", "resume_tailor_webhook_attempts_total",
                 "resume_tailor_tex_compiles_bucket"):
        assert name in seen, name


def test_every_worker_serves_its_exporter_where_it_is_scraped() -> None:
    workers = {name: doc for name, doc in of_kind("Deployment").items()
               if name.startswith("resume-tailor-worker-")}
    assert len(workers) == len(QUEUES)
    policy = of_kind("NetworkPolicy")["resume-tailor-worker-metrics-ingress"]["spec"]
    (selector,) = policy["podSelector"]["matchExpressions"]
    (rule,) = policy["ingress"]
    assert [p["port"] for p in rule["ports"]] == ["metrics"]
    for name, doc in workers.items():
        template = doc["spec"]["template"]
        container = pod_spec(doc)["containers"][0]
        env = {e["name"]: e["value"] for e in container.get("env", [])}
        (port,) = [p for p in container["ports"] if p["name"] == "metrics"]
        assert env["RT_METRICS_PORT"] == str(port["containerPort"]), name
        assert env["RT_METRICS_HOST"] == "0.0.0.0", name
        annotations = template["metadata"]["annotations"]
        assert annotations["prometheus.io/port"] == env["RT_METRICS_PORT"], name
        assert annotations["prometheus.io/scrape"] == "true", name
        # The pool's directory is on the writable /tmp (the root filesystem is read-only).
        assert env["PROMETHEUS_MULTIPROC_DIR"].startswith("/tmp/"), name
        component = template["metadata"]["labels"]["app.kubernetes.io/component"]
        assert component in selector["values"], f"{name}: its metrics port is not opened"
