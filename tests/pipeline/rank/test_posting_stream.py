"""`rank`'s JSONL postings are checked up front, then read one line at a time."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from pipeline.errors import InvalidInput
from pipeline.jsonresume import Resume
from pipeline.rank import rank_postings
from pipeline.rank.posting_stream import JsonlPostings

TEXT = "Data Engineer\nRequirements:\n- Python, SQL and Airflow on AWS\n" + "Details. " * 1100


def write_jsonl(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        for number in range(count):
            stream.write(json.dumps({"id": f"p{number}", "text": f"{TEXT}#{number}"}) + "\n")
    return path


def test_reading_holds_one_posting_at_a_time(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "many.jsonl", 600)  # about 6 MB of text
    tracemalloc.start()
    try:
        postings = JsonlPostings(path)
        count = 0
        for item_id, text in postings:
            assert item_id == f"p{count}" and text.endswith(f"#{count}")
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(postings) == count == 600
    assert peak < path.stat().st_size / 20  # a few postings' worth, not the file


def test_a_bad_line_is_named_before_any_posting_is_read(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", 5)
    with path.open("a", encoding="utf-8") as stream:
        stream.write('{"id": "p1", "text": "again"}\n')
    with pytest.raises(InvalidInput) as caught:
        JsonlPostings(path)
    assert caught.value.field == "bad.jsonl line 6" and "duplicate id" in caught.value.reason


def test_rank_pulls_postings_as_it_goes() -> None:
    resume = Resume.model_validate({"basics": {"label": "Data Engineer"},
                                    "skills": [{"name": "Data", "keywords": ["Python", "SQL"]}]})
    pulled: list[int] = []

    def endless() -> Iterator[tuple[str, str]]:
        for number in range(10**9):
            pulled.append(number)
            yield f"p{number}", TEXT

    progress: list[tuple[int, int]] = []
    stream = endless()

    def on_progress(done: int, last_id: str) -> None:
        progress.append((done, len(pulled)))

    first_ten = (item for _, item in zip(range(10), stream, strict=False))
    ranked = rank_postings(resume, first_ten, on_progress=on_progress, today=date(2026, 1, 1))
    assert len(ranked) == 10
    # each posting is scored before the next one is read
    assert progress == [(n, n) for n in range(1, 11)]
