"""API keys in Postgres: only a hash is stored, the prefix finds the row, revoked keys fail."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from workers.db import api_keys
from workers.db.models import ApiKey
from workers.tenants import InvalidTenant

pytestmark = pytest.mark.service


def test_a_key_is_stored_only_as_its_hash(db_session: Session) -> None:
    row, key = api_keys.create_key(db_session, tenant="acme", scopes=["jobs:read"])
    assert key.startswith(f"rt_{row.prefix}_") and len(key) > 40
    stored = db_session.execute(select(ApiKey).where(ApiKey.id == row.id)).scalar_one()
    assert stored.key_hash == api_keys.hash_key(key) and key not in repr(stored.__dict__)
    identity = api_keys.verify_key(db_session, key)
    assert identity is not None
    assert (identity.tenant, identity.scopes) == ("acme", frozenset({"jobs:read"}))


def test_wrong_malformed_and_revoked_keys_fail(db_session: Session) -> None:
    row, key = api_keys.create_key(db_session, tenant="acme", scopes=["admin"])
    other_secret = f"rt_{row.prefix}_{'x' * 43}"
    for bad in (other_secret, "", "rt_", "rt_short_x", key + "x", "Bearer " + key):
        assert api_keys.verify_key(db_session, bad) is None, bad
    assert api_keys.revoke_key(db_session, row.prefix)
    assert api_keys.verify_key(db_session, key) is None
    assert not api_keys.revoke_key(db_session, row.prefix)  # already revoked


def test_tenant_and_scopes_are_checked(db_session: Session) -> None:
    with pytest.raises(InvalidTenant):
        api_keys.create_key(db_session, tenant="Acme Corp", scopes=["jobs:read"])
    with pytest.raises(ValueError, match="jobs:delete"):
        api_keys.create_key(db_session, tenant="acme", scopes=["jobs:delete"])
    with pytest.raises(ValueError, match="none given"):
        api_keys.create_key(db_session, tenant="acme", scopes=[])
    listed = api_keys.list_keys(db_session, "acme")
    assert listed == []  # nothing half-made
