"""`rank` over several processes: batches of postings ranked in forked workers, merged.

Each worker runs `rank_postings` on a batch of consecutive postings; the batches' rankings,
joined in input order and sorted again with the same stable order (`best_first`), are exactly
the ranking one process would give. The workers are forked once the skill matcher is loaded, so
none of them loads it again; at most two batches per worker are in flight, so memory stays flat
however long the stream is. Where processes cannot be forked, or for a few postings, it ranks in
this process.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from itertools import chain, islice
from types import TracebackType

from pipeline.jsonresume import Resume
from pipeline.models import RankedPosting
from pipeline.rank.postings import ProgressCallback, best_first, rank_postings

BATCH = 24  # postings per task: a few ms each, so a task is worth sending to another process
IN_FLIGHT = 2  # batches per worker sent ahead
GC_THRESHOLD = 20_000  # allocations between the workers' young-generation collections

Posting = tuple[str, str]

# Set in each worker by `_start_worker`.
_resume: Resume | None = None
_today: date | None = None
_top_missing = 5


def _start_worker(resume: Resume, today: date, top_missing: int) -> None:
    global _resume, _today, _top_missing
    _resume, _today, _top_missing = resume, today, top_missing
    # Parsing a posting allocates tens of thousands of short-lived objects, nearly none in
    # cycles: the collector's default (a pass every 700 allocations) cost ~2% of a worker's time.
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def _rank_batch(batch: list[Posting]) -> list[RankedPosting]:
    assert _resume is not None, "worker not started"
    return rank_postings(_resume, batch, today=_today, top_missing=_top_missing)


def _batches(postings: Iterable[Posting]) -> Iterator[list[Posting]]:
    stream = iter(postings)
    while batch := list(islice(stream, BATCH)):
        yield batch


class RankPool:
    """Ranks postings against one resume with `processes` worker processes (1: in this one).

    Enter it before anything starts threads (a progress bar): the workers are forked then."""

    def __init__(self, resume: Resume, *, processes: int, today: date | None = None,
                 top_missing: int = 5) -> None:
        self.resume = resume
        self.today = today or date.today()  # one date for every worker
        self.top_missing = top_missing
        forkable = "fork" in multiprocessing.get_all_start_methods()
        self.processes = processes if forkable else 1
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> RankPool:
        if self.processes > 1:
            from pipeline.parse import preload

            preload()  # loaded here, inherited by every worker
            # and out of the collector's passes: walking it again and again cost each worker
            # ~5% of its time (and, as they touch every object, copies of shared pages)
            gc.freeze()
            self._pool = ProcessPoolExecutor(
                self.processes, mp_context=multiprocessing.get_context("fork"),
                initializer=_start_worker, initargs=(self.resume, self.today, self.top_missing))
            self._pool.submit(int).result()  # fork the workers now
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def rank(self, postings: Iterable[Posting], *,
             on_progress: ProgressCallback | None = None) -> list[RankedPosting]:
        if self._pool is None:
            return rank_postings(self.resume, postings, on_progress=on_progress,
                                 today=self.today, top_missing=self.top_missing)
        pool = self._pool
        pending: deque[tuple[Future[list[RankedPosting]], str]] = deque()  # and its last id
        done: list[list[RankedPosting]] = []
        count = 0

        def collect() -> None:
            nonlocal count
            future, last_id = pending.popleft()
            ranked = future.result()
            done.append(ranked)
            count += len(ranked)
            if on_progress is not None:
                on_progress(count, last_id)

        for batch in _batches(postings):
            pending.append((pool.submit(_rank_batch, batch), batch[-1][0]))
            if len(pending) >= IN_FLIGHT * self.processes:
                collect()
        while pending:
            collect()
        return best_first(chain.from_iterable(done))
