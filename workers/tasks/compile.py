"""compile: TailoredResume → one-page PDF. The PDF and .tex go straight to their fixed S3
keys (a retry overwrites them); Postgres keeps the compile facts without the bytes."""

from __future__ import annotations

from pathlib import Path

from celery import Task

from pipeline.models import JobAnalysis, TailoredResume
from workers import storage
from workers.app import app
from workers.db.models import Job
from workers.settings import get_settings
from workers.tasks.base import StageResult, put_artifact, run_stage

# The heavy job columns this stage reads.
INPUTS = ("tailored", "analysis")


def compile_job(job: Job) -> StageResult:
    from pipeline.latex import compile_resume
    from pipeline.tailor import parse_back_keywords

    settings = get_settings()
    tailored = TailoredResume.model_validate(job.tailored)
    analysis = JobAnalysis.model_validate(job.analysis)
    compiled = compile_resume(
        tailored,
        template=job.template,
        # The matched skills as the tailored resume words them: the PDF must still hold them.
        keywords=parse_back_keywords(tailored, analysis),
        tex_bin_dir=Path(settings.tex_bin_dir) if settings.tex_bin_dir else None,
        timeout_s=settings.compile_timeout_s,
        cache_dir=Path(settings.tex_cache_dir) if settings.tex_cache_dir else None,
    )
    put_artifact(storage.artifact_key(job.tenant, job.id, "resume.pdf"), compiled.pdf)
    put_artifact(storage.artifact_key(job.tenant, job.id, "resume.tex"), compiled.tex.encode())
    meta = compiled.model_dump(mode="json", exclude={"pdf", "tex"})
    return StageResult({"compile_meta": meta}, {"pages": compiled.pages})


@app.task(bind=True, name="workers.tasks.compile.run")
def run(self: Task, job_id: str) -> str:
    return run_stage(self, job_id, "compile", compile_job, load=INPUTS)
