"""JWTs for tests that drive the ASGI app without Postgres: the settings that accept them and
tokens signed to match (HS256; RS256 keys are made per test where needed)."""

from __future__ import annotations

import time
from typing import Any

import jwt
from fastapi.testclient import TestClient

from workers.settings import Settings

ISSUER = "https://issuer.test"
AUDIENCE = "resume-tailor"
SECRET = "test-only-hs256-secret-of-at-least-32-bytes"
JWT_SETTINGS: dict[str, Any] = {"jwt_secret": SECRET, "jwt_issuer": ISSUER,
                                "jwt_audience": AUDIENCE}
ALL_SCOPES = "jobs:write jobs:read batches:write"


def jwt_settings(**overrides: Any) -> Settings:
    return Settings(**{**JWT_SETTINGS, **overrides})


def token(tenant: str = "acme", scope: str = ALL_SCOPES, *, key: Any = SECRET,
          algorithm: str = "HS256", headers: dict[str, Any] | None = None,
          **claims: Any) -> str:
    now = int(time.time())
    payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": "user-1", "tenant": tenant,
               "scope": scope, "iat": now, "exp": now + 300, **claims}
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, key,
                      algorithm=algorithm, headers=headers)


def bearer(tenant: str = "acme", scope: str = ALL_SCOPES, **claims: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(tenant, scope, **claims)}"}


def app_client(settings: Settings | None = None, *,
               headers: dict[str, str] | None = None) -> TestClient:
    """A TestClient over the ASGI app on `settings` (JWTs accepted by default); use it as a
    context manager. Without Postgres: only what JWTs authenticate works."""
    from api.app import create_app
    from api.deps import current_settings

    settings = settings or jwt_settings()
    app = create_app(settings)
    app.dependency_overrides[current_settings] = lambda: settings
    return TestClient(app, raise_server_exceptions=True, headers=headers)
