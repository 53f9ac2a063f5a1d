"""How each stage ran, from what the job records in `stages` (`{"parse": {"started": iso,
"finished": iso, "attempts": n, "cache_hit": bool, "usage": [...]}, ...}`): the one reading
behind the report's `timings_ms` and `usage` and the API's stage and usage lists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pipeline.models import Usage
from workers.settings import STAGES


@dataclass(frozen=True)
class StageRun:
    """A stage's last run as recorded; times are None when missing or unreadable."""

    name: str
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int | None
    cache_hit: bool | None

    @property
    def duration_ms(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds() * 1000, 1)


def stage_runs(stages: Mapping[str, Any]) -> list[StageRun]:
    """The stages the job has recorded anything for, in chain order (a rank-first batch's
    items record their batch's ranking, `rank`, in place of parse and score)."""
    runs = []
    for name in ("rank", *STAGES):
        info = stages.get(name)
        if not isinstance(info, dict) or not info:
            continue
        runs.append(StageRun(name, _when(info.get("started")), _when(info.get("finished")),
                             info.get("attempts"), info.get("cache_hit")))
    return runs


def stage_timings_ms(stages: Mapping[str, Any]) -> dict[str, float]:
    """Wall time of each finished stage's last run, by stage."""
    return {run.name: run.duration_ms for run in stage_runs(stages)
            if run.duration_ms is not None}


def recorded_usage(stages: Mapping[str, Any], stage: str) -> list[Usage]:
    """The model calls `stage` recorded (workers.ai.usage_info), in the order they were made."""
    info = stages.get(stage)
    rows = info.get("usage", []) if isinstance(info, dict) else []
    return [Usage.model_validate(row) for row in rows]


def _when(value: object) -> datetime | None:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None
