"""Who is calling: an `X-API-Key` (looked up, hashed, in Postgres) or an `Authorization: Bearer`
JWT (HS256 or RS256, `exp`/`nbf`/`iss`/`aud` checked with bounded clock skew), each naming one
tenant and its scopes. No credentials: 401; a scope the credential lacks: 403 (problem+json).

Every route takes its caller through `require(scope)`, and every query filters by the caller's
tenant, so another tenant's ids answer 404 like missing ones."""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jwt
from fastapi import Request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from api import rate_limit
from api.errors import ApiProblem
from workers import logging as logs
from workers.db import api_keys
from workers.settings import Settings
from workers.tenants import InvalidTenant, check_tenant

ADMIN = "admin"  # implies every other scope, within its tenant
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="resume-tailor", ApiKey header="X-API-Key"'}


@dataclass(frozen=True)
class Principal:
    tenant: str
    scopes: frozenset[str]
    credential: str  # "key:<prefix>" or "jwt:<sub>": logs and rate-limit buckets

    def allows(self, scope: str) -> bool:
        return scope in self.scopes or ADMIN in self.scopes


def unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(401, "Unauthorized", detail, slug="unauthorized", headers=_CHALLENGE)


def forbidden(scope: str) -> ApiProblem:
    return ApiProblem(403, "Forbidden", f"this credential lacks the {scope!r} scope",
                      slug="forbidden")


async def authenticate(request: Request, settings: Settings) -> Principal | None:
    """The caller's principal; None without credentials; 401 for bad ones."""
    key = request.headers.get("x-api-key")
    authorization = request.headers.get("authorization")
    if key is not None and authorization is not None:
        raise unauthorized("send one credential: X-API-Key or Authorization, not both")
    if key is not None:
        return await _from_api_key(request.app.state.submit_engine, key, settings)
    if authorization is not None:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise unauthorized("Authorization must be 'Bearer <token>'")
        return _from_jwt(token.strip(), settings)
    return None


# ---------------------------------------------------------------- API keys

# SHA-256 of a key → (principal, monotonic expiry). Only keys that verified are kept, and never
# the key itself; a revoke is seen once the entry expires (`api_key_cache_s`).
_verified: dict[str, tuple[Principal, float]] = {}
_MAX_CACHED = 10_000


async def _from_api_key(engine: AsyncEngine, key: str, settings: Settings) -> Principal:
    digest = hashlib.sha256(key.encode()).hexdigest()
    cached = _verified.get(digest)
    now = time.monotonic()
    if cached is not None and cached[1] > now:
        return cached[0]
    identity = None
    for attempt in (1, 2):  # once more on a fresh connection after a Postgres restart
        try:
            async with engine.connect() as connection:
                identity = await api_keys.verify_key_async(connection, key)
            break
        except DBAPIError as exc:
            if not exc.connection_invalidated or attempt == 2:
                raise
    if identity is None:
        _verified.pop(digest, None)
        raise unauthorized("unknown or revoked API key")
    principal = Principal(identity.tenant, identity.scopes, f"key:{identity.prefix}")
    if settings.api_key_cache_s > 0:
        if len(_verified) >= _MAX_CACHED:
            _verified.clear()
        _verified[digest] = (principal, now + settings.api_key_cache_s)
    return principal


def forget_cached_keys() -> None:
    _verified.clear()


# ---------------------------------------------------------------- JWTs


def _from_jwt(token: str, settings: Settings) -> Principal:
    if not settings.jwt_enabled:
        raise unauthorized("bearer tokens are not accepted by this deployment; use X-API-Key")
    try:
        key, algorithm = _verification_key(token, settings)
        claims = jwt.decode(
            token, key, algorithms=[algorithm], audience=settings.jwt_audience,
            issuer=settings.jwt_issuer, leeway=settings.jwt_leeway_s,
            options={"require": ["exp", "iss", "aud"]},
        )
    except jwt.PyJWTError as exc:
        raise unauthorized(f"invalid token: {exc}") from None
    try:
        tenant = check_tenant(claims.get(settings.jwt_tenant_claim),
                              field=f"token claim {settings.jwt_tenant_claim!r}")
    except InvalidTenant as exc:
        raise unauthorized(str(exc)) from None
    scopes = _scopes(claims.get(settings.jwt_scopes_claim))
    # Per tenant and subject: a `sub` is only unique within its issuer's tenant.
    return Principal(tenant, scopes, f"jwt:{tenant}:{claims.get('sub', '?')}"[:160])


def _scopes(value: Any) -> frozenset[str]:
    names = value.split() if isinstance(value, str) else value if isinstance(value, list) else []
    return frozenset(s for s in names if isinstance(s, str) and s in api_keys.SCOPES)


def _verification_key(token: str, settings: Settings) -> tuple[Any, str]:
    """The key and the one algorithm accepted (never the token's own choice: an RS256
    deployment must not accept an HS256 token signed with its public key)."""
    if settings.jwt_secret:
        return settings.jwt_secret, "HS256"
    if settings.jwt_public_key_file:
        return _file_text(settings.jwt_public_key_file, _mtime(settings.jwt_public_key_file)), \
            "RS256"
    assert settings.jwt_jwks_file
    keys = _jwks(settings.jwt_jwks_file, _mtime(settings.jwt_jwks_file))
    kid = jwt.get_unverified_header(token).get("kid")
    if kid is None and len(keys) == 1:
        return next(iter(keys.values())), "RS256"
    if kid not in keys:
        raise jwt.InvalidKeyError(f"no key {kid!r} in the JWKS")
    return keys[kid], "RS256"


def _mtime(path: str) -> float:
    # Part of the cache key, so a rotated key file is read again without a restart.
    try:
        return os.stat(path).st_mtime
    except OSError as exc:
        raise jwt.InvalidKeyError(f"cannot read the key file: {exc.strerror}") from None


@lru_cache(maxsize=4)
def _file_text(path: str, mtime: float) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


@lru_cache(maxsize=4)
def _jwks(path: str, mtime: float) -> dict[str | None, Any]:
    keyset = jwt.PyJWKSet.from_dict(json.loads(_file_text(path, mtime)))
    return {key.key_id: key.key for key in keyset.keys if key.key_type == "RSA"}


# ---------------------------------------------------------------- request dependencies


async def principal_for(request: Request, settings: Settings) -> Principal:
    """The authenticated caller (cached on the request), counted against its rate limit."""
    found: Principal | None = getattr(request.state, "principal", None)
    if found is not None:
        return found
    principal = await authenticate(request, settings)
    if principal is None:
        raise unauthorized("credentials required: X-API-Key or Authorization: Bearer")
    logs.bind(tenant=principal.tenant, credential=principal.credential)
    request.state.principal = principal
    await rate_limit.charge_credential(request, principal, settings)
    return principal
