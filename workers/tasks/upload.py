"""upload: report.json and tailored.json to their fixed S3 keys (the resume's and letter's
files are already there from compile), then the job succeeds. The report and both files come
from pipeline.report, as the CLI's do."""

from __future__ import annotations

from celery import Task

from pipeline.jsonresume import STORED, Resume
from pipeline.models import (
    AtsReport,
    CompileFacts,
    InputNotes,
    JobAnalysis,
    LetterReport,
    MatchReport,
    TailoredResume,
)
from workers import storage
from workers.app import app
from workers.db.jobs import StageJob
from workers.stage_times import recorded_usage, stage_timings_ms
from workers.tasks.base import StageResult, put_artifact, run_stage

# The heavy job columns this stage reads.
INPUTS = ("resume", "analysis", "report", "tailored", "compile_meta")
# What the compile stage keeps in compile_meta beside the compile facts.
DOCUMENT_REPORTS = ("ats", "letter")


def upload_job(job: StageJob) -> StageResult:
    from pipeline.report import build_report, rendered_resume, report_files
    from pipeline.score import score_match
    from pipeline.unrendered import unrendered_fields

    analysis = JobAnalysis.model_validate(job.analysis)
    tailored = TailoredResume.model_validate(job.tailored, context=STORED)
    meta = job.compile_meta or {}
    compiled = CompileFacts.model_validate(  # its trimmed resume too: our compile stage's
        {k: v for k, v in meta.items() if k not in DOCUMENT_REPORTS}, context=STORED)
    # Score what the reader will see: the resume as rendered, after any trimming to fit.
    rendered = rendered_resume(tailored, compiled)
    after = score_match(rendered, analysis)
    stages = job.stages or {}
    report = build_report(
        analysis=analysis, before=MatchReport.model_validate(job.report), tailored=tailored,
        compiled=compiled, after=after, timings_ms=stage_timings_ms(stages),
        parse_usage=recorded_usage(stages, "parse"),
        ats=[AtsReport.model_validate(r) for r in meta.get("ats", [])],
        letter=LetterReport.model_validate(meta["letter"]) if meta.get("letter") else None,
        input_notes=InputNotes(
            not_rendered=unrendered_fields(Resume.model_validate(job.resume, context=STORED))),
    )
    for name, body in report_files(report, rendered).items():
        put_artifact(storage.artifact_key(job.tenant, job.id, name), body)
    names = [n for n in storage.ARTIFACTS
             if not n.startswith("letter.") or "letter" in (job.documents or [])]
    # The PDF and .tex need no check here: compile finished only after S3 acknowledged them
    # (S3 reads are strongly consistent after a write), and a job reaches upload only then.
    return StageResult(
        {
            "artifacts": {name: storage.artifact_key(job.tenant, job.id, name)
                          for name in names},
            "report_after": after.model_dump(mode="json"),
            "match_rate_after": after.match_rate,
        }
    )


@app.task(bind=True, name="workers.tasks.upload.run")
def run(self: Task, job_id: str) -> str:
    return run_stage(self, job_id, "upload", upload_job, final=True, load=INPUTS)
