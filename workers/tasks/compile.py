"""compile: TailoredResume → one-page PDF. The PDF and .tex go straight to their fixed S3
keys (a retry overwrites them); Postgres keeps the compile facts without the bytes."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from celery import Task

from pipeline.jsonresume import STORED, Resume
from pipeline.models import CompiledResume, JobAnalysis, MatchReport, TailoredResume
from workers import metrics, storage
from workers.ai import job_ai
from workers.app import app
from workers.db.jobs import StageJob
from workers.settings import Settings, get_settings
from workers.tasks.base import StageResult, put_artifact, run_stage

log = logging.getLogger(__name__)

# The heavy job columns this stage reads (the master resume and the match report only for a
# cover letter, which is written from them).
INPUTS = ("tailored", "analysis", "resume", "report")

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


def compile_job(job: StageJob) -> StageResult:
    from pipeline.compile import compile_resume
    from pipeline.tailor import parse_back_keywords

    settings = get_settings()
    tailored = TailoredResume.model_validate(job.tailored, context=STORED)
    analysis = JobAnalysis.model_validate(job.analysis)
    compiled = compile_resume(
        tailored,
        template=job.template,
        # The matched skills as the tailored resume words them: the PDF must still hold them.
        keywords=parse_back_keywords(tailored, analysis),
        **_tex_options(settings),
    )
    metrics.tex_compiles("resume", job.template, compiled.compiles)
    # The compile facts (pipeline.models.CompileFacts): the files themselves go to S3.
    meta = compiled.model_dump(mode="json", exclude={"pdf", "tex"})
    meta.update(compile_documents(job, tailored, compiled, settings))
    # The status answer shows the ATS reports from the (light) stage record.
    return StageResult({"compile_meta": meta}, {"pages": compiled.pages, "ats": meta["ats"]})


def compile_documents(job: StageJob, tailored: TailoredResume, compiled: CompiledResume,
                      settings: Settings) -> dict[str, Any]:
    """Upload the resume's files and, when the job asks for one, the cover letter's, built by
    the functions the CLI uses; returns the ATS reports and the letter's report, which
    compile_meta holds beside the compile facts for the upload stage's report."""
    from pipeline.documents.outputs import letter_documents, resume_documents
    from pipeline.letter import compile_letter, write_letter
    from pipeline.letter.ai import letter_writer
    from pipeline.report import rendered_resume

    files, ats = resume_documents(compiled, rendered_resume(tailored, compiled), ("pdf",))
    out: dict[str, Any] = {}
    if "letter" in (job.documents or []):
        master = Resume.model_validate(job.resume, context=STORED)
        writer = letter_writer(job_ai(job.provider).chain)
        letter = write_letter(master, JobAnalysis.model_validate(job.analysis),
                              MatchReport.model_validate(job.report), writer=writer)
        letter_pdf = compile_letter(letter, master, template=job.template,
                                    **_tex_options(settings))
        metrics.tex_compiles("letter", job.template, letter_pdf.compiles)
        letter_files, letter_ats, report = letter_documents(letter_pdf)
        files.update(letter_files)
        ats.append(letter_ats)
        out["letter"] = report.model_dump(mode="json")
    for name, body in files.items():
        put_artifact(storage.artifact_key(job.tenant, job.id, name), body)
    out["ats"] = [r.model_dump(mode="json") for r in ats]
    return out


@app.task(bind=True, name="workers.tasks.compile.run")
def run(self: Task, job_id: str) -> str:
    return run_stage(self, job_id, "compile", compile_job, load=INPUTS)
