"""`rank`'s postings read as a stream: a JSONL of {"id", "text"} is never held whole.

`JsonlPostings` checks the file once before any ranking (every line a JSON object with a text,
ids unique, sizes within limits: a bad line stops the command before work is spent, naming the
line) and counts the postings for the progress bar; iterating it then reads the file again, one
line at a time, so memory does not grow with the number of postings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import InvalidInput
from pipeline.inputs import MAX_POSTING_BYTES, posting_to_text

MAX_JSONL_BYTES = 200 * 1024 * 1024


class JsonlPostings:
    """The (id, plain text) postings of a JSONL file, checked and counted on creation."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise InvalidInput(f"file not found: {path}", field="postings")
        if path.stat().st_size > MAX_JSONL_BYTES:
            raise InvalidInput(f"{path} is larger than {MAX_JSONL_BYTES // 2**20} MB",
                               field="postings")
        self.path = path
        self.count = sum(1 for _ in self._records())
        if not self.count:
            raise InvalidInput("no postings in the file", field="postings")

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[tuple[str, str]]:
        for where, item_id, text in self._records():
            try:
                yield item_id, posting_to_text(text)
            except InvalidInput as exc:
                raise InvalidInput(exc.reason, field=f"{where}.text") from None

    def _records(self) -> Iterator[tuple[str, str, str]]:
        """(where, id, raw text) of each non-blank line, checked."""
        seen: set[str] = set()
        with self.path.open("rb") as stream:
            for number, raw in enumerate(stream, start=1):
                where = f"{self.path.name} line {number}"
                if not raw.strip():
                    continue
                try:
                    record = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    raise InvalidInput(f"not a JSON object: {exc}", field=where) from None
                if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                    raise InvalidInput('expected {"id": ..., "text": "..."}', field=where)
                item_id = str(record.get("id", number))
                if item_id in seen:
                    raise InvalidInput(f"duplicate id {item_id!r}", field=where)
                seen.add(item_id)
                text = record["text"]
                if len(text.encode("utf-8")) > MAX_POSTING_BYTES:
                    raise InvalidInput(f"text larger than {MAX_POSTING_BYTES // 1024} KB",
                                       field=where)
                yield where, item_id, text
