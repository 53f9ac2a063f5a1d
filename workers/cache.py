"""Redis cache of posting analyses, keyed by tenant and a hash of the normalised posting text,
so a tenant's second job on the same posting skips the parse work.

Per tenant, not shared: a shared entry would tell one tenant that another submitted the same
posting, through the job's `cache_hit` and, even without that flag, through the parse stage's
duration. The cost is one parse per tenant and posting instead of one per posting."""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata

import redis
from pydantic import ValidationError

from pipeline.models import JobAnalysis
from workers.settings import get_settings
from workers.tenants import check_tenant

log = logging.getLogger(__name__)

# Bump when the parser's output changes meaning, so stale analyses are not served.
CACHE_VERSION = "v3"  # v2: alternatives; v3: defined acronyms, tagged names split at "or"
_BLANK_RUNS = re.compile(r"\n{3,}")
_client: redis.Redis | None = None


def reset_client() -> None:
    global _client
    _client = None


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(get_settings().redis_url, socket_timeout=5)
    return _client


def redis_client() -> redis.Redis:
    """The process's Redis client for caches and shared state (AI breakers and answers)."""
    return _redis()


def normalise_posting(text: str) -> str:
    """The posting minus differences the parser cannot see: Unicode form, line endings,
    trailing spaces, runs of blank lines, outer whitespace. Case and indentation are kept
    ("Go" the language and "go" the verb parse differently; indentation marks bullets)."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUNS.sub("\n\n", text).strip()


def analysis_key(tenant: str, text: str) -> str:
    digest = hashlib.sha256(normalise_posting(text).encode()).hexdigest()
    return (f"{get_settings().key_prefix}rt:analysis:{CACHE_VERSION}:{check_tenant(tenant)}:"
            f"{digest}")


def get_analysis(key: str) -> JobAnalysis | None:
    """The analysis cached under `key` (`analysis_key`), or None on a miss or an entry that no
    longer validates. Redis errors propagate: the caller treats them as transient."""
    raw = _redis().get(key)
    if raw is None:
        return None
    try:
        return JobAnalysis.model_validate_json(raw)
    except ValidationError:
        log.warning("dropping an analysis cache entry that no longer validates")
        return None


def put_analysis(key: str, analysis: JobAnalysis) -> None:
    ttl = get_settings().analysis_cache_ttl_s
    if ttl > 0:
        _redis().set(key, analysis.model_dump_json(), ex=ttl)
