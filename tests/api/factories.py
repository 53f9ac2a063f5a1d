"""Typed factories for API request bodies: a realistic resume and varied postings."""

from __future__ import annotations

from typing import Any

_ROLES: list[tuple[str, list[str], list[str]]] = [
    ("Senior Backend Engineer", ["Python", "PostgreSQL", "Django", "Redis", "Docker"],
     ["Kubernetes", "Terraform"]),
    ("Data Engineer", ["Python", "SQL", "Apache Spark", "Airflow", "AWS"], ["Kafka", "dbt"]),
    ("Frontend Developer", ["JavaScript", "TypeScript", "React", "CSS", "HTML"],
     ["Next.js", "GraphQL"]),
    ("Site Reliability Engineer", ["Linux", "Kubernetes", "Prometheus", "Terraform", "Go"],
     ["Python", "AWS"]),
    ("Machine Learning Engineer", ["Python", "PyTorch", "scikit-learn", "SQL", "Docker"],
     ["Kubernetes", "Spark"]),
    ("Java Developer", ["Java", "Spring Boot", "Hibernate", "PostgreSQL", "Maven"],
     ["Kafka", "Docker"]),
    ("Mobile Engineer", ["Kotlin", "Swift", "Android", "iOS", "REST APIs"], ["Firebase", "CI/CD"]),
    ("Platform Engineer", ["Go", "gRPC", "Kubernetes", "PostgreSQL", "Linux"],
     ["Rust", "Terraform"]),
    ("Full Stack Engineer", ["Python", "Django", "React", "PostgreSQL", "JavaScript"],
     ["AWS", "Redis"]),
    ("Database Administrator", ["PostgreSQL", "MySQL", "SQL", "Linux", "Bash"],
     ["Ansible", "Python"]),
]


def resume() -> dict[str, Any]:
    return {
        "basics": {
            "name": "Ada Example",
            "label": "Backend Engineer",
            "email": "ada@example.com",
            "summary": "Backend engineer building reliable Python services and data pipelines.",
            "location": {"city": "Berlin", "countryCode": "DE"},
        },
        "work": [
            {
                "name": "Parcel Logistics GmbH",
                "position": "Senior Backend Engineer",
                "startDate": "2020-04",
                "highlights": [
                    "Built order-routing services in Python and Django on PostgreSQL.",
                    "Cut p99 API latency by 40% with Redis caching and query tuning.",
                    "Ran services in Docker on AWS with CI/CD through GitHub Actions.",
                ],
            },
            {
                "name": "Insight Analytics",
                "position": "Software Engineer",
                "startDate": "2016-09",
                "endDate": "2020-03",
                "highlights": [
                    "Wrote ETL jobs in Python and SQL feeding the reporting warehouse.",
                    "Maintained a React dashboard used by 200 analysts.",
                ],
            },
        ],
        "education": [
            {"institution": "TU Berlin", "area": "Computer Science", "studyType": "Bachelor",
             "startDate": "2012", "endDate": "2016"},
        ],
        "skills": [
            {"name": "Backend", "keywords": ["Python", "Django", "PostgreSQL", "Redis", "SQL"]},
            {"name": "Infrastructure", "keywords": ["Docker", "AWS", "Linux", "GitHub Actions"]},
            {"name": "Frontend", "keywords": ["JavaScript", "React"]},
        ],
    }


def posting(index: int = 0) -> str:
    """A plain-text posting; indices past the role list vary the company and seniority."""
    title, required, preferred = _ROLES[index % len(_ROLES)]
    company = f"Company {index + 1}"
    years = 2 + index % 5
    lines = [
        f"# {title}",
        f"{company} is hiring a {title} to join our platform team.",
        "",
        "## Requirements",
        *(f"- Professional experience with {skill}" for skill in required),
        f"- {years}+ years of software engineering experience",
        "- Bachelor's degree in Computer Science or a related field",
        "- Strong communication and teamwork skills",
        "",
        "## Nice to have",
        *(f"- Experience with {skill}" for skill in preferred),
        "",
        "## Benefits",
        "- Remote-friendly, 30 days of paid leave",
    ]
    return "\n".join(lines)


def job(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"resume": resume(), "posting": posting(0)}
    body.update(overrides)
    return body
