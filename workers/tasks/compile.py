"""compile: TailoredResume → one-page PDF. The PDF and .tex go straight to their fixed S3
keys (a retry overwrites them); Postgres keeps the compile facts without the bytes."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from celery import Task

from pipeline.models import JobAnalysis, TailoredResume
from workers import storage
from workers.app import app
from workers.db.models import Job
from workers.settings import Settings, get_settings
from workers.tasks.base import StageResult, put_artifact, run_stage

log = logging.getLogger(__name__)

# The heavy job columns this stage reads.
INPUTS = ("tailored", "analysis")

# What `warm` compiles: small, and in every template's character set.
_WARM_RESUME: dict[str, Any] = {
    "basics": {"name": "Warm Up", "label": "Engineer", "email": "warm.up@example.com"},
    "work": [{"name": "Example Ltd", "position": "Engineer", "startDate": "2020-01",
              "highlights": ["Built Python services on PostgreSQL."]}],
    "education": [{"institution": "Example University", "studyType": "BSc", "area": "Physics"}],
    "skills": [{"name": "Languages", "keywords": ["Python", "SQL"]}],
}


def _tex_options(settings: Settings) -> dict[str, Any]:
    return {
        "tex_bin_dir": Path(settings.tex_bin_dir) if settings.tex_bin_dir else None,
        "timeout_s": settings.compile_timeout_s,
        "cache_dir": Path(settings.tex_cache_dir) if settings.tex_cache_dir else None,
    }


def warm() -> None:
    """Compile a small resume in every template, in the worker's main process before its pool
    forks: the children inherit the compiled Jinja templates, the templates' calibrations and
    the TeX version checks instead of each paying for them on its first tasks (about a second
    of CPU per child, again after every recycle), and the TeX formats are built before the
    first job waits on them. A failure here only leaves the work to the first task."""
    from pipeline.compile import compile_resume
    from pipeline.compile.render import list_templates
    from pipeline.jsonresume import Resume

    tailored = TailoredResume(resume=Resume.model_validate(_WARM_RESUME))
    options = _tex_options(get_settings())
    for name, _ in list_templates():
        try:
            compile_resume(tailored, template=name, **options)
        except Exception:
            log.warning("warming the %s template failed; its first job will do it", name,
                        exc_info=True)


def compile_job(job: Job) -> StageResult:
    from pipeline.compile import compile_resume
    from pipeline.tailor import parse_back_keywords

    settings = get_settings()
    tailored = TailoredResume.model_validate(job.tailored)
    analysis = JobAnalysis.model_validate(job.analysis)
    compiled = compile_resume(
        tailored,
        template=job.template,
        # The matched skills as the tailored resume words them: the PDF must still hold them.
        keywords=parse_back_keywords(tailored, analysis),
        **_tex_options(settings),
    )
    put_artifact(storage.artifact_key(job.tenant, job.id, "resume.pdf"), compiled.pdf)
    put_artifact(storage.artifact_key(job.tenant, job.id, "resume.tex"), compiled.tex.encode())
    meta = compiled.model_dump(mode="json", exclude={"pdf", "tex"})
    return StageResult({"compile_meta": meta}, {"pages": compiled.pages})


@app.task(bind=True, name="workers.tasks.compile.run")
def run(self: Task, job_id: str) -> str:
    return run_stage(self, job_id, "compile", compile_job, load=INPUTS)
