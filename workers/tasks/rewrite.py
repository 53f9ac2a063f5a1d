"""rewrite: resume + analysis + match report → TailoredResume (truthfulness-guarded)."""

from __future__ import annotations

from celery import Task

from pipeline.jsonresume import STORED, Resume
from pipeline.models import JobAnalysis, MatchReport
from workers.ai import job_ai, usage_info
from workers.app import app
from workers.db.jobs import StageJob
from workers.tasks.base import StageResult, run_stage

# The heavy job columns this stage reads.
INPUTS = ("resume", "analysis", "report")


def rewrite_job(job: StageJob) -> StageResult:
    from pipeline.rewrite import rewrite_resume

    resume = Resume.model_validate(job.resume, context=STORED)
    analysis = JobAnalysis.model_validate(job.analysis)
    report = MatchReport.model_validate(job.report)
    rewriter = job_ai(job.provider).rewriter()  # one per job: it meters this job's tokens
    tailored = rewrite_resume(resume, analysis, report, rewriter=rewriter)
    info = usage_info(tailored.usage) if tailored.usage else {}
    info["rejections"] = len(tailored.rejections)
    return StageResult({"tailored": tailored.model_dump(mode="json")}, info)


@app.task(bind=True, name="workers.tasks.rewrite.run")
def run(self: Task, job_id: str) -> str:
    return run_stage(self, job_id, "rewrite", rewrite_job, load=INPUTS)
