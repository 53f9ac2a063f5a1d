"""What a tenant name may be. It reaches S3 keys (`{tenant}/{job}/…`), Redis keys and log
lines, so it is held to a strict pattern wherever it enters: an API key's creation, a JWT's
claim, the settings' per-tenant secrets, and again where a key is built."""

from __future__ import annotations

import re

TENANT_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


class InvalidTenant(ValueError):
    pass


def check_tenant(tenant: object, *, field: str = "tenant") -> str:
    """`tenant` unchanged if it matches `TENANT_PATTERN` (lowercase letters, digits and
    hyphens, 1-63, not starting with a hyphen); InvalidTenant naming `field` otherwise."""
    if not isinstance(tenant, str) or TENANT_PATTERN.fullmatch(tenant) is None:
        raise InvalidTenant(
            f"{field}: {tenant!r} is not a tenant name (1-63 of a-z, 0-9 and '-', "
            "starting with a letter or digit)")
    return tenant
