"""score: resume + JobAnalysis → MatchReport (the match before tailoring)."""

from __future__ import annotations

from celery import Task

from pipeline.jsonresume import Resume
from pipeline.models import JobAnalysis
from workers.app import app
from workers.db.models import Job
from workers.tasks.base import StageResult, run_stage

# The heavy job columns this stage reads.
INPUTS = ("resume", "analysis")


def score_job(job: Job) -> StageResult:
    from pipeline.score import score_match

    resume = Resume.model_validate(job.resume)
    analysis = JobAnalysis.model_validate(job.analysis)
    report = score_match(resume, analysis)
    return StageResult({"report": report.model_dump(mode="json"), "match_rate": report.match_rate})


@app.task(bind=True, name="workers.tasks.score.run")
def run(self: Task, job_id: str) -> str:
    return run_stage(self, job_id, "score", score_job, load=INPUTS)
