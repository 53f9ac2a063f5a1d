"""Token usage and estimated cost per job, one `Usage` row per provider, model and prompt.

A `UsageMeter` lives for one job and is shared by the threads rewriting its bullets.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipeline.models import Usage


@dataclass(frozen=True)
class Price:
    input_per_mtok: float
    output_per_mtok: float


class PriceTable:
    def __init__(self, prices: dict[str, dict[str, Price]]) -> None:
        self._prices = prices

    @classmethod
    def shipped(cls) -> PriceTable:
        return _shipped()

    def price(self, provider: str, model: str) -> Price | None:
        """Longest model-name prefix wins, so `gpt-4o-mini-2024-07-18` is `gpt-4o-mini`."""
        table = self._prices.get(provider, {})
        best = max((name for name in table if model.startswith(name)), key=len, default=None)
        return table[best] if best else None

    def cost(self, provider: str, model: str, input_tokens: int, output_tokens: int) -> float:
        price = self.price(provider, model)
        if price is None:
            return 0.0
        return (input_tokens * price.input_per_mtok + output_tokens * price.output_per_mtok) / 1e6


@cache
def _shipped() -> PriceTable:
    raw = json.loads(resources.files("pipeline").joinpath("data/llm_prices.json").read_text())
    prices = {
        provider: {
            model: Price(float(p["input"]), float(p["output"])) for model, p in models.items()
        }
        for provider, models in raw.items()
        if isinstance(models, dict)
    }
    return PriceTable(prices)


class UsageMeter:
    """Thread-safe running totals for one job, and notes on providers passed over."""

    def __init__(self, prices: PriceTable | None = None) -> None:
        self._prices = prices or PriceTable.shipped()
        self._lock = threading.Lock()
        self._rows: dict[tuple[str, str, str], Usage] = {}
        self._notes: dict[str, int] = {}

    def note(self, text: str) -> None:
        """Remember why a provider was passed over; repeats are counted, not repeated."""
        with self._lock:
            self._notes[text] = self._notes.get(text, 0) + 1

    def notes(self) -> list[str]:
        with self._lock:
            return [f"{t} (x{n})" if n > 1 else t for t, n in self._notes.items()]

    def record(
        self,
        provider: str,
        model: str,
        prompt_version: str,
        *,
        input_tokens: int = 0,
        output_tokens: int = 0,
        requests: int = 1,
    ) -> None:
        key = (provider, model, prompt_version)
        with self._lock:
            row = self._rows.get(key) or Usage(
                provider=provider, model=model, prompt_version=prompt_version
            )
            row.input_tokens += input_tokens
            row.output_tokens += output_tokens
            row.requests += requests
            row.cost_usd = self._prices.cost(
                provider, model, row.input_tokens, row.output_tokens
            )
            self._rows[key] = row

    def usage(self) -> list[Usage]:
        with self._lock:
            return [row.model_copy() for row in self._rows.values()]

    def total_cost(self) -> float:
        return sum(row.cost_usd for row in self.usage())
