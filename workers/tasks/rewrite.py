"""rewrite: resume + analysis + match report → TailoredResume (truthfulness-guarded)."""

from __future__ import annotations

from celery import Task

from pipeline.jsonresume import Resume
from pipeline.models import JobAnalysis, MatchReport
from workers.app import app
from workers.db.models import Job
from workers.tasks.base import StageResult, run_stage


def rewrite_job(job: Job) -> StageResult:
    from pipeline.rewrite import get_rewriter, tailor_resume

    resume = Resume.model_validate(job.resume)
    analysis = JobAnalysis.model_validate(job.analysis)
    report = MatchReport.model_validate(job.report)
    tailored = tailor_resume(resume, analysis, report, rewriter=get_rewriter(job.provider))
    return StageResult({"tailored": tailored.model_dump(mode="json")})


@app.task(bind=True, name="workers.tasks.rewrite.run")
def run(self: Task, job_id: str) -> str:
    return run_stage(self, job_id, "rewrite", rewrite_job)
