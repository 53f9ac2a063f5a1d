"""upload: report.json and tailored.json to their fixed S3 keys (the PDF and .tex are
already there from compile), then the job succeeds."""

from __future__ import annotations

import json

from celery import Task

from pipeline.jsonresume import Resume
from pipeline.models import JobAnalysis, MatchReport, TailoredResume, TailorReport
from workers import storage
from workers.app import app
from workers.db.models import Job
from workers.stage_times import stage_timings_ms
from workers.tasks.base import StageResult, put_artifact, run_stage

# The heavy job columns this stage reads.
INPUTS = ("analysis", "report", "tailored", "compile_meta")


def upload_job(job: Job) -> StageResult:
    from pipeline.score import score_match
    from pipeline.tailor import trim_reasons

    analysis = JobAnalysis.model_validate(job.analysis)
    before = MatchReport.model_validate(job.report)
    tailored = TailoredResume.model_validate(job.tailored)
    meta = job.compile_meta or {}
    # Score what the reader will see: the resume as rendered, after any trimming to fit.
    rendered = Resume.model_validate(meta["resume"]) if meta.get("resume") else tailored.resume
    after = score_match(rendered, analysis)
    report = TailorReport(
        analysis=analysis,
        before=before,
        after=after,
        template=meta.get("template", job.template),
        engine=meta.get("engine", ""),
        pages=meta.get("pages", 0),
        compiles=meta.get("compiles", 0),
        trimmed=meta.get("trimmed", []),
        adjustments=meta.get("adjustments", []),
        provenance=tailored.provenance,
        rejections=tailored.rejections,
        parse_back=meta.get("parse_back"),
        usage=tailored.usage,
        timings_ms=stage_timings_ms(job.stages),
        ats=meta.get("ats", []),
        letter=meta.get("letter"),
        trims=trim_reasons(meta.get("trimmed", []), tailored),
    )
    names = [n for n in storage.ARTIFACTS
             if not n.startswith("letter.") or "letter" in (job.documents or [])]
    keys = {name: storage.artifact_key(job.tenant, job.id, name) for name in names}
    put_artifact(keys["report.json"], report.model_dump_json(indent=2).encode())
    tailored_doc = rendered.to_json_dict()
    put_artifact(keys["tailored.json"], json.dumps(tailored_doc, indent=2).encode())
    # The PDF and .tex need no check here: compile finished only after S3 acknowledged both
    # (S3 reads are strongly consistent after a write), and a job reaches upload only then.
    return StageResult(
        {
            "artifacts": keys,
            "report_after": after.model_dump(mode="json"),
            "match_rate_after": after.match_rate,
        }
    )


@app.task(bind=True, name="workers.tasks.upload.run")
def run(self: Task, job_id: str) -> str:
    return run_stage(self, job_id, "upload", upload_job, final=True, load=INPUTS)
