"""Typed factories for the worker tests: a real resume, postings made unique per test (so the
analysis cache of one test never answers another's), jobs submitted the way the API does."""

from __future__ import annotations

import uuid
from typing import Any

from workers import chain
from workers.db import jobs
from workers.db.models import Job
from workers.db.session import session_scope

TENANT = "default"


def resume_doc() -> dict[str, Any]:
    return {
        "basics": {
            "name": "Dana Whitfield",
            "label": "Senior Backend Engineer",
            "email": "dana@example.com",
            "summary": "Backend engineer building APIs and data services in Python.",
            "location": {"city": "Leeds", "countryCode": "GB"},
        },
        "work": [
            {
                "name": "Harbor Freight Analytics",
                "position": "Senior Backend Engineer",
                "startDate": "2019-03",
                "highlights": [
                    "Built REST APIs in Python and FastAPI serving 2 million requests a day",
                    "Moved batch jobs to Celery workers on Redis, cutting report latency by 40%",
                    "Designed PostgreSQL schemas and tuned slow queries for the billing service",
                    "Ran services on Kubernetes with Docker images built in GitHub Actions",
                ],
            },
            {
                "name": "Northwind Labs",
                "position": "Software Engineer",
                "startDate": "2015-06",
                "endDate": "2019-02",
                "highlights": [
                    "Wrote data pipelines in Python that loaded 50 GB a day into PostgreSQL",
                    "Added monitoring with Prometheus and Grafana to every service",
                    "Mentored two junior engineers through code review",
                ],
            },
        ],
        "education": [
            {"institution": "University of Leeds", "area": "Computer Science",
             "studyType": "Bachelor", "startDate": "2011", "endDate": "2015"},
        ],
        "skills": [
            {"name": "Backend", "keywords": ["Python", "FastAPI", "Celery", "PostgreSQL",
                                             "Redis"]},
            {"name": "Infrastructure", "keywords": ["Docker", "Kubernetes", "Prometheus"]},
        ],
    }


def posting_text(marker: str | None = None) -> str:
    marker = marker or uuid.uuid4().hex[:10]
    return f"""Senior Backend Engineer
Company: Acme Logistics

About the role
You will build the APIs behind our shipment tracking platform. Team reference {marker}.

Requirements
- 5+ years of experience building backend services in Python
- Strong experience with PostgreSQL and Redis
- Experience with Docker and Kubernetes
- Bachelor's degree in Computer Science or a related field

Nice to have
- Celery or another task queue
- Prometheus monitoring
"""


def submit(
    *, posting: str | None = None, resume: dict[str, Any] | None = None, tenant: str = TENANT,
    batch_id: uuid.UUID | None = None, batch_item: int | None = None, enqueue: bool = True,
    webhook_url: str | None = None,
) -> uuid.UUID:
    """Write a queued job and send its chain after the commit, as the API does."""
    with session_scope() as session:
        job, _ = jobs.create_job(
            session, tenant=tenant, resume=resume or resume_doc(),
            posting=posting or posting_text(), batch_id=batch_id, batch_item=batch_item,
            webhook_url=webhook_url,
        )
    if enqueue:
        chain.enqueue_job(job.id)
    return job.id


def load(job_id: uuid.UUID) -> Job:
    with session_scope() as session:
        job = jobs.load_job(session, job_id)
    assert job is not None
    return job
