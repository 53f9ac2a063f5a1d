"""Who may call what, through the ASGI app: JWTs (HS256, RS256 from a PEM file or a JWKS
file) and the 401/403 answers. API keys, which live in Postgres, are tested in
test_tenants_service.py."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.tokens import AUDIENCE, ISSUER, app_client, bearer, jwt_settings, token
from workers.settings import Settings

JOB = {"resume": {"basics": {"name": "Ada"}}, "posting": "Backend engineer. Python."}
ID = "00000000-0000-4000-8000-000000000000"
# Past authentication this answers 404 without a query (the id is malformed): a probe for
# "authenticated" that needs no database.
AUTHENTICATED_404 = "/v1/jobs/not-an-id"


def _client(settings: Settings) -> TestClient:
    return app_client(settings)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with _client(jwt_settings()) as test_client:
        yield test_client


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


ROUTES = [("POST", "/v1/jobs"), ("GET", f"/v1/jobs/{ID}"),
          ("GET", f"/v1/jobs/{ID}/artifacts/resume.pdf"), ("DELETE", f"/v1/jobs/{ID}"),
          ("POST", "/v1/batches"), ("GET", f"/v1/batches/{ID}"), ("DELETE", f"/v1/batches/{ID}"),
          ("GET", f"/v1/jobs/{ID}/report"), ("GET", f"/v1/batches/{ID}/webhooks"),
          ("GET", "/v1/meta")]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_no_credentials_is_401_before_anything_else(
        client: TestClient, method: str, path: str) -> None:
    # Not even the body is validated for an anonymous caller.
    problem = _problem(client.request(method, path, json={"nonsense": 1}), 401)
    assert "credentials required" in problem["detail"]
    assert "Bearer" in client.request(method, path).headers["www-authenticate"]


def test_every_versioned_route_is_walked_above() -> None:
    paths = set(create_app(jwt_settings()).openapi()["paths"])
    assert {p for p in paths if p.startswith("/v1/")} == {
        "/v1/jobs", "/v1/jobs/{job_id}", "/v1/jobs/{job_id}/artifacts/{name}",
        "/v1/batches", "/v1/batches/{batch_id}", "/v1/jobs/{job_id}/report",
        "/v1/batches/{batch_id}/webhooks", "/v1/meta"}, "a new route: add it to ROUTES"


@pytest.mark.parametrize(("scope", "method", "path", "needed"), [
    ("jobs:read", "POST", "/v1/jobs", "jobs:write"),
    ("jobs:write", "GET", f"/v1/jobs/{ID}", "jobs:read"),
    ("jobs:read", "POST", "/v1/batches", "batches:write"),
    ("jobs:write", "DELETE", f"/v1/batches/{ID}", "batches:write"),
    ("", "GET", f"/v1/batches/{ID}", "jobs:read"),
])
def test_a_missing_scope_is_403(
        client: TestClient, scope: str, method: str, path: str, needed: str) -> None:
    response = client.request(method, path, json=JOB, headers=bearer(scope=scope))
    assert needed in _problem(response, 403)["detail"]


def test_admin_implies_every_scope(client: TestClient) -> None:
    response = client.post("/v1/jobs", json={**JOB, "template": "nope"},
                           headers=bearer(scope="admin"))
    _problem(response, 422)  # past authentication: the body's fault now


# Claims built when the test runs: an `nbf` two minutes ahead, read at collection, was already
# past when the test ran late in a long session.
@pytest.mark.parametrize(("claims", "reason"), [
    (lambda: {"exp": int(time.time()) - 120}, "expired"),
    (lambda: {"nbf": int(time.time()) + 120}, "not yet valid"),
    (lambda: {"iss": "https://elsewhere.test"}, "issuer"),
    (lambda: {"aud": "another-service"}, "audience"),
    (lambda: {"exp": None}, "exp"),
    (lambda: {"tenant": "Acme Corp"}, "not a tenant name"),
    (lambda: {"tenant": None}, "not a tenant name"),
])
def test_bad_tokens_are_401(client: TestClient, claims: Callable[[], dict[str, Any]],
                            reason: str) -> None:
    headers = {"Authorization": f"Bearer {token(**claims())}"}
    response = client.get(AUTHENTICATED_404, headers=headers)
    assert reason.lower() in _problem(response, 401)["detail"].lower()


def test_clock_skew_within_the_leeway_is_accepted(client: TestClient) -> None:
    # Expired 10 s ago, valid 10 s from now: inside the 30 s leeway.
    for claims in ({"exp": int(time.time()) - 10}, {"nbf": int(time.time()) + 10}):
        response = client.get(AUTHENTICATED_404, headers=bearer(**claims))
        _problem(response, 404)  # authenticated; the job just does not exist


def test_a_token_signed_with_another_secret_is_401(client: TestClient) -> None:
    forged = token(key="another-secret-that-is-also-32-bytes-long")
    problem = _problem(client.get(f"/v1/jobs/{ID}",
                                  headers={"Authorization": f"Bearer {forged}"}), 401)
    assert "signature" in problem["detail"].lower()


@pytest.mark.parametrize("headers", [
    {"Authorization": "Basic dXNlcjpwdw=="},
    {"Authorization": "Bearer "},
    {"X-API-Key": "rt_x", "Authorization": "Bearer abc"},
])
def test_malformed_credentials_are_401(client: TestClient, headers: dict[str, str]) -> None:
    _problem(client.get(f"/v1/jobs/{ID}", headers=headers), 401)


def test_bearer_tokens_are_refused_when_jwts_are_off() -> None:
    with _client(Settings()) as client:
        problem = _problem(client.get(f"/v1/jobs/{ID}", headers=bearer()), 401)
    assert "X-API-Key" in problem["detail"]


@pytest.fixture
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


def test_rs256_with_a_public_key_file(tmp_path: Path, rsa_key: rsa.RSAPrivateKey) -> None:
    pem = tmp_path / "public.pem"
    pem.write_bytes(_public_pem(rsa_key))
    settings = Settings(jwt_public_key_file=str(pem), jwt_issuer=ISSUER, jwt_audience=AUDIENCE)
    with _client(settings) as client:
        good = token(key=rsa_key, algorithm="RS256")
        _problem(client.get(AUTHENTICATED_404,
                            headers={"Authorization": f"Bearer {good}"}), 404)
        # Algorithm confusion: the deployment takes RS256 only, whatever the token claims.
        hs = token()
        problem = _problem(client.get(AUTHENTICATED_404,
                                      headers={"Authorization": f"Bearer {hs}"}), 401)
        assert "alg value is not allowed" in problem["detail"]


def test_rs256_with_a_jwks_file_picks_the_key_by_kid(tmp_path: Path) -> None:
    keys = {kid: rsa.generate_private_key(public_exponent=65537, key_size=2048)
            for kid in ("one", "two")}
    jwks = {"keys": [{**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(k.public_key())),
                      "kid": kid, "use": "sig", "alg": "RS256"} for kid, k in keys.items()]}
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks))
    settings = Settings(jwt_jwks_file=str(path), jwt_issuer=ISSUER, jwt_audience=AUDIENCE)
    with _client(settings) as client:
        for kid, key in keys.items():
            signed = token(key=key, algorithm="RS256", headers={"kid": kid})
            _problem(client.get(AUTHENTICATED_404,
                                headers={"Authorization": f"Bearer {signed}"}), 404)
        wrong = token(key=keys["one"], algorithm="RS256", headers={"kid": "two"})
        _problem(client.get(f"/v1/jobs/{ID}", headers={"Authorization": f"Bearer {wrong}"}),
                 401)
        unknown = token(key=keys["one"], algorithm="RS256", headers={"kid": "three"})
        _problem(client.get(f"/v1/jobs/{ID}",
                            headers={"Authorization": f"Bearer {unknown}"}), 401)


def test_metrics_and_docs_can_require_a_key() -> None:
    with _client(jwt_settings()) as client:  # open by default
        assert client.get("/metrics").status_code == 200
        assert client.get("/openapi.json").status_code == 200
    settings = jwt_settings(api_metrics_require_key=True, api_docs_require_key=True)
    with _client(settings) as client:
        for path in ("/metrics", "/docs", "/redoc", "/openapi.json"):
            _problem(client.get(path), 401)
        _problem(client.get("/metrics", headers=bearer()), 403)  # needs admin
        assert client.get("/metrics", headers=bearer(scope="admin")).status_code == 200
        spec = client.get("/openapi.json", headers=bearer(scope="jobs:read"))
        assert "/v1/jobs" in spec.json()["paths"]
        assert "swagger" in client.get("/docs", headers=bearer()).text.lower()
        assert "redoc" in client.get("/redoc", headers=bearer()).text.lower()
        # The pages' scripts stay public: a browser cannot send a key for a <script>.
        assert client.get("/docs-assets/redoc/redoc.standalone.js").status_code == 200


def test_the_request_id_is_echoed_or_made(client: TestClient) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "req-123"})
    assert given.headers["x-request-id"] == "req-123"
    made = client.get("/healthz").headers["x-request-id"]
    assert len(made) == 32 and made != client.get("/healthz").headers["x-request-id"]
    # Anything that is not short printable ASCII is replaced, never echoed.
    assert client.get("/healthz", headers={"X-Request-ID": "x" * 500}).headers[
        "x-request-id"] != "x" * 500
