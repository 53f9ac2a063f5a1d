"""Every example posting still yields the skills it is about (examples/postings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.inputs import load_posting
from pipeline.parse import parse_posting

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "postings"

# The skills each posting plainly asks for, read from the posting, not from a benchmark.
KEY_SKILLS = {
    "backend-engineer.md": (
        {"Python", "Go", "PostgreSQL", "Distributed systems", "AWS", "Kubernetes", "REST APIs",
         "FastAPI", "Apache Kafka", "Terraform", "CI/CD", "gRPC"},
        {"communication", "mentoring", "ownership"},
    ),
    "data-engineer.txt": (
        {"SQL", "Python", "Apache Spark", "Apache Kafka", "Snowflake", "Apache Airflow",
         "BigQuery", "Amazon Redshift", "AWS", "Amazon S3", "Terraform", "dbt"},
        {"communication"},
    ),
    "data-scientist.md": (
        {"SQL", "Statistics", "Python", "pandas", "NumPy", "scikit-learn", "Machine learning",
         "A/B testing", "Forecasting", "Apache Spark"},
        {"communication", "presentation skills"},
    ),
    "devops-sre.md": (
        {"Linux", "Networking", "Kubernetes", "Site Reliability Engineering", "AWS",
         "Google Cloud Platform", "Terraform", "Prometheus", "Grafana", "Python", "Go", "Bash",
         "Helm", "CI/CD", "Ansible", "HashiCorp Vault", "Argo CD"},
        {"communication"},
    ),
    "frontend-developer.html": (
        {"JavaScript", "TypeScript", "HTML", "CSS", "React", "Jest", "Cypress", "Figma",
         "Next.js", "GraphQL", "Tailwind CSS", "Web accessibility", "Storybook"},
        {"communication", "teamwork"},
    ),
    "registered-nurse.txt": (
        {"Registered Nurse (RN)", "Basic Life Support (BLS)", "Acute care", "Epic",
         "Medication administration", "Patient assessment", "IV therapy", "Wound care",
         "Advanced Cardiovascular Life Support (ACLS)"},
        {"teamwork", "communication", "critical thinking"},
    ),
}


def test_every_example_posting_is_listed() -> None:
    assert {p.name for p in EXAMPLES.iterdir()} == set(KEY_SKILLS)


@pytest.mark.parametrize("name", sorted(KEY_SKILLS))
def test_example_posting_yields_its_key_skills(name: str) -> None:
    analysis = parse_posting(load_posting(EXAMPLES / name))
    hard, soft = KEY_SKILLS[name]
    assert hard - {s.name for s in analysis.hard_skills} == set()
    assert soft - {s.name for s in analysis.soft_skills} == set()
