"""The AI providers as the workers use them.

Keys, base URLs and the rest come from the service's settings (`Settings.provider_config`):
the pipeline never reads the environment. The circuit breakers and the answer cache live in
Redis, so every worker process shares them.
"""

from __future__ import annotations

from pipeline.models import Usage
from pipeline.providers.stages import AIStages, providers_for
from workers.breaker_store import RedisBreakerStore
from workers.cache import redis_client
from workers.llm_cache import RedisAnswerStore
from workers.settings import get_settings


def job_ai(provider: str | None) -> AIStages:
    """The AI stages for one job's provider. Raises InvalidInput (field "provider") when that
    provider is unknown or not configured on this worker."""
    client = redis_client()
    settings = get_settings()
    prefix = settings.key_prefix
    return providers_for(
        settings.provider_config(),
        provider=provider,
        breaker_store=RedisBreakerStore(client, prefix=prefix),
        answer_cache=RedisAnswerStore(client, prefix=prefix),
    )


def usage_info(usage: list[Usage]) -> dict[str, object]:
    """What job.stages[stage] records of a stage's model calls: rows and their cost."""
    return {
        "usage": [row.model_dump(mode="json") for row in usage],
        "cost_usd": round(sum(row.cost_usd for row in usage), 6),
    }
