"""score: resume + JobAnalysis → MatchReport (the match before tailoring) and the fit that
ranks a batch's postings."""

from __future__ import annotations

from datetime import date

from celery import Task

from pipeline.jsonresume import STORED, Resume
from pipeline.models import JobAnalysis
from workers.app import app
from workers.db.jobs import StageJob
from workers.tasks.base import StageResult, run_stage

# The heavy job columns this stage reads.
INPUTS = ("resume", "analysis")


def score_job(job: StageJob) -> StageResult:
    from pipeline.rank.fit import build_candidate, score_fit
    from pipeline.score.match import score_profile
    from pipeline.score.resume_profile import build_profile

    resume = Resume.model_validate(job.resume, context=STORED)
    analysis = JobAnalysis.model_validate(job.analysis)
    today = date.today()
    profile = build_profile(resume, today=today)
    report = score_profile(profile, analysis)
    fit = score_fit(build_candidate(resume, profile, today=today), analysis)
    return StageResult({
        "report": report.model_dump(mode="json"),
        "match_rate": report.match_rate,
        "fit": fit.fit,
        "fit_parts": fit.parts.model_dump(mode="json"),
    })


@app.task(bind=True, name="workers.tasks.score.run")
def run(self: Task, job_id: str) -> str:
    return run_stage(self, job_id, "score", score_job, load=INPUTS)
