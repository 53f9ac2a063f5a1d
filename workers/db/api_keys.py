"""API keys: create (the key is shown once), find by the key a request presents, list, revoke.

A key is `rt_<prefix>_<secret>`: the prefix (8 random hex characters, stored in clear) finds the
row, the SHA-256 of the whole key is compared in constant time. A plain hash suffices because the
secret is 256 random bits: there is nothing to guess, so a slow password hash would buy
nothing and cost every request."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workers.db.models import ApiKey
from workers.tenants import check_tenant

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

KEY_PREFIX = "rt_"
SCOPES = ("jobs:write", "jobs:read", "batches:write", "admin")
_PREFIX_CHARS = 8


@dataclass(frozen=True)
class KeyIdentity:
    """Who a verified key speaks for."""

    key_id: uuid.UUID
    prefix: str
    tenant: str
    scopes: frozenset[str]


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_prefix(key: str) -> str | None:
    """The lookup prefix of a well-formed key, else None (nothing to look up)."""
    if not key.startswith(KEY_PREFIX) or len(key) > 128:
        return None
    prefix, sep, secret = key[len(KEY_PREFIX):].partition("_")
    if not sep or len(prefix) != _PREFIX_CHARS or not secret:
        return None
    return prefix


def check_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(scopes))
    unknown = [s for s in chosen if s not in SCOPES]
    if unknown or not chosen:
        raise ValueError(f"scopes: {', '.join(unknown) or 'none given'} "
                         f"(known: {', '.join(SCOPES)})")
    return chosen


def create_key(
    session: Session, *, tenant: str, scopes: Iterable[str], name: str = ""
) -> tuple[ApiKey, str]:
    """A new key for `tenant`; returns the row and the key itself, which is not stored."""
    check_tenant(tenant)
    chosen = check_scopes(scopes)
    prefix = secrets.token_hex(_PREFIX_CHARS // 2)
    key = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(id=uuid.uuid4(), prefix=prefix, key_hash=hash_key(key), tenant=tenant,
                 scopes=chosen, name=name[:255])
    session.add(row)
    session.flush()
    return row, key


def list_keys(session: Session, tenant: str | None = None) -> list[ApiKey]:
    stmt = select(ApiKey).order_by(ApiKey.tenant, ApiKey.created_at)
    if tenant is not None:
        stmt = stmt.where(ApiKey.tenant == tenant)
    return list(session.execute(stmt).scalars())


def revoke_key(session: Session, prefix: str) -> bool:
    """Revoke by prefix (what `keys list` shows); False when no live key has it."""
    done = session.execute(
        update(ApiKey).where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))
        .values(revoked_at=func.now()).returning(ApiKey.id)
    ).first()
    return done is not None


def _live(prefix: str) -> Any:
    return select(ApiKey.id, ApiKey.prefix, ApiKey.key_hash, ApiKey.tenant, ApiKey.scopes).where(
        ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))


def _identity(key: str, row: Any) -> KeyIdentity | None:
    if row is None:
        # Compare anyway, so an unknown prefix answers as fast as a wrong secret.
        hmac.compare_digest(hash_key(key), "0" * 64)
        return None
    key_id, prefix, key_hash, tenant, scopes = row
    if not hmac.compare_digest(hash_key(key), key_hash):
        return None
    return KeyIdentity(key_id, prefix, tenant, frozenset(scopes))


def verify_key(session: Session, key: str) -> KeyIdentity | None:
    """The identity behind `key`, or None when it is malformed, unknown, wrong or revoked."""
    prefix = key_prefix(key)
    if prefix is None:
        return None
    return _identity(key, session.execute(_live(prefix)).first())


async def verify_key_async(connection: AsyncConnection, key: str) -> KeyIdentity | None:
    """`verify_key` on the API's async connection (the check runs in the event loop)."""
    prefix = key_prefix(key)
    if prefix is None:
        return None
    return _identity(key, (await connection.execute(_live(prefix))).first())
