"""Small helpers for provider tests: observable sleeps, a settable clock, an answer model."""

from __future__ import annotations

from pydantic import BaseModel


class Sleeps:
    """Records the waits the retry policy asks for, without waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


class FakeClock:
    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Echo(BaseModel):
    bullet: str
