"""A rank-first batch's ranking: every item parsed and scored in this one task, then the best
`tailor_top` sent on to be tailored (rewrite → compile → upload) and the others finished as
`ranked`.

One task for the whole batch, not a parse → score chain per item: ranking 500 postings is
about 5 ms of CPU each in-process, while each stage task costs the queue more than that in
receiving, guarded transitions and publishing, and the top N can only be chosen once every
item is scored anyway (a chain per item would need a counter to find the last). It runs the
CLI's own code (`pipeline.rank.score_postings`, in input order, sorted by `best_first`), so
the batch's ranking is the CLI's `rank`: the same fits in the same order. As the CLI's rank, it
uses the deterministic analysis only; an AI provider is used by the tailored items' rewrite.

Safe to run twice: it ranks only the items still queued, and stores the ranking in one
transaction with those items locked.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from celery import Task
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from workers.app import RANK_TASK, app
from workers.chain import JobChain, build_chain, send_deliveries
from workers.db import batch_ranking, transitions
from workers.db.session import session_scope
from workers.settings import get_settings
from workers.tasks.base import RETRYABLE

if TYPE_CHECKING:
    from pipeline.rank.postings import ScoredPosting

log = logging.getLogger(__name__)


def rank_batch(batch_id: uuid.UUID) -> list[JobChain]:
    """Rank the batch's queued items and store the ranking; returns the chains to send (the
    tailored items'), after the commit, with the webhook already handed to the sender."""
    from pipeline.jsonresume import STORED, Resume
    from pipeline.rank.postings import best_first, score_postings

    with session_scope() as session:
        inputs = batch_ranking.rank_inputs(session, batch_id)
    if inputs is None:
        log.info("batch %s: nothing left to rank", batch_id)
        return []
    started = datetime.now(UTC).isoformat()
    resume = Resume.model_validate(inputs.resume, context=STORED)
    postings = [(str(job_id), posting) for job_id, posting in inputs.items]
    values: dict[uuid.UUID, dict[str, Any]] = {}
    ranked = []
    for scored in score_postings(resume, postings, today=date.today()):
        values[uuid.UUID(scored.ranked.id)] = _stored(scored)
        ranked.append(scored.ranked)
    order = [uuid.UUID(r.id) for r in best_first(ranked)]
    stages = {"rank": {"started": started, "finished": datetime.now(UTC).isoformat(),
                       "attempts": 1, "postings": len(postings)}}
    with session_scope() as session:
        live = batch_ranking.lock_queued_items(session, batch_id)
        top = [job_id for job_id in order
               if job_id in live and values[job_id]["analysis"] is not None]
        chains = [build_chain(job_id, from_stage="rewrite")
                  for job_id in top[:inputs.batch.tailor_top or 0]]
        delivery = batch_ranking.store_ranking(
            session, batch_id, {job_id: values[job_id] for job_id in live},
            {uuid.UUID(c.job_id): c.task_ids for c in chains}, stages)
    send_deliveries([delivery] if delivery else [])
    return chains


def _stored(scored: ScoredPosting) -> dict[str, Any]:
    """The job columns of one scored posting (`batch_ranking.RANKED_COLUMNS`)."""
    ranked = scored.ranked
    return {
        "analysis": scored.analysis.model_dump(mode="json") if scored.analysis else None,
        "report": scored.report.model_dump(mode="json") if scored.report else None,
        "match_rate": ranked.match_rate,
        "fit": ranked.fit,
        "fit_parts": ranked.fit_parts.model_dump(mode="json") if ranked.fit_parts else None,
    }


def fail_batch_items(batch_id: uuid.UUID, exc: BaseException, *, internal: bool) -> None:
    """Ranking cannot succeed (a resume the models refuse, a bug): fail every item still
    queued, so the batch completes and says why."""
    message = "internal error" if internal else str(exc) or type(exc).__name__
    deliveries: list[uuid.UUID] = []
    with session_scope() as session:
        for job_id in batch_ranking.lock_queued_items(session, batch_id):
            change = transitions.fail_job(session, job_id, stage="rank",
                                          error_type=type(exc).__name__, message=message)
            deliveries += change.deliveries
    send_deliveries(deliveries)


@app.task(bind=True, name=RANK_TASK)
def run(self: Task, batch_id: str) -> None:
    bid = uuid.UUID(batch_id)
    try:
        chains = rank_batch(bid)
    except RETRYABLE as exc:
        settings = get_settings()
        if self.request.retries >= settings.task_max_retries:
            fail_batch_items(bid, exc, internal=False)
            return
        countdown = min(settings.retry_backoff_max_s,
                        settings.retry_backoff_base_s * 2**self.request.retries)
        raise self.retry(exc=exc, countdown=countdown,
                         max_retries=settings.task_max_retries) from exc
    except ValidationError as exc:
        fail_batch_items(bid, exc, internal=False)
        return
    except DBAPIError:
        log.exception("batch %s: ranking failed on a database error", batch_id)
        raise
    except Exception:
        log.exception("batch %s: ranking failed", batch_id)
        fail_batch_items(bid, RuntimeError("ranking failed"), internal=True)
        raise
    # After the commit; a lost send leaves the item in `scoring`, which the reaper requeues.
    for job_chain in chains:
        job_chain.send()
