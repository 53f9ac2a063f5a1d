"""The truthfulness guard: what a rewritten line may and may not add to its source."""

from __future__ import annotations

import pytest

from pipeline.jsonresume import Resume
from pipeline.rewrite.guard import Guard, numbers_in

SOURCE = "Migrated the ledger from MySQL to Postgres with zero downtime, cutting p99 latency 40%"


@pytest.fixture(scope="module")
def guard() -> Guard:
    resume = Resume.model_validate({
        "work": [
            {"name": "Ledgerline", "position": "Backend Engineer", "highlights": [SOURCE]},
            {"name": "Orchard Bay Labs", "position": "Software Engineer"},
        ],
    })
    return Guard(resume)


@pytest.mark.parametrize("proposed", [
    SOURCE,
    "Migrated the ledger from MySQL to PostgreSQL with zero downtime, cutting p99 latency 40%",
    "Cut p99 latency 40 percent by migrating the ledger from MySQL to Postgres with zero downtime",
])
def test_faithful_rewordings_pass(guard: Guard, proposed: str) -> None:
    assert guard.problem(proposed, [SOURCE]) is None


@pytest.mark.parametrize(("proposed", "reason"), [
    # a planted fabricated skill
    ("Migrated the ledger from MySQL to Postgres on Kubernetes with zero downtime, cutting p99 "
     "latency 40%", "adds skill 'Kubernetes'"),
    # a changed number
    ("Migrated the ledger from MySQL to Postgres with zero downtime, cutting p99 latency 45%",
     "number '45%' not in source"),
    ("Migrated the ledger from MySQL to Postgres with zero downtime, cutting p99 latency 40x",
     "number '40x' not in source"),
    ("Migrated the ledger for three teams from MySQL to Postgres, cutting p99 latency 40%",
     "number '3' not in source"),
    ("Migrated the ledger from MySQL to Postgres, saving $2M and cutting p99 latency 40%",
     "number '$2m' not in source"),
    # a date
    ("In 2019 migrated the ledger from MySQL to Postgres, cutting p99 latency 40%",
     "date '2019' not in source"),
    ("Since March migrated the ledger from MySQL to Postgres, cutting p99 latency 40%",
     "date 'March' not in source"),
    # an employer from elsewhere in the resume, and one from nowhere
    ("Migrated the Orchard Bay Labs ledger from MySQL to Postgres, cutting p99 latency 40%",
     "employer 'Orchard Bay Labs' not in source"),
    ("Migrated the ledger at Stripe from MySQL to Postgres, cutting p99 latency 40%",
     "name 'Stripe' not in source"),
    # a title
    ("As tech lead, migrated the ledger from MySQL to Postgres, cutting p99 latency 40%",
     "title word 'tech lead' not in source"),
    ("Migrated the ledger from MySQL to Postgres as Software Engineer, cutting p99 latency 40%",
     "title 'Software Engineer' not in source"),
])
def test_fabrications_rejected(guard: Guard, proposed: str, reason: str) -> None:
    assert (guard.problem(proposed, [SOURCE]) or "").startswith(reason)


def test_review_falls_back_and_records(guard: Guard) -> None:
    verdict = guard.review(
        SOURCE.replace("40%", "60%"), sources=[SOURCE], fallback=SOURCE,
        output_path="work[0].highlights[0]", source_paths=["work[0].highlights[2]"],
        provider="openai")
    assert verdict.line == SOURCE
    assert verdict.rejection is not None
    assert verdict.rejection.reason == "number '60%' not in source"
    assert verdict.rejection.source_paths == ["work[0].highlights[2]"]
    assert verdict.rejection.provider == "openai"
    accepted = guard.review(SOURCE, sources=[SOURCE], fallback="x", output_path="p",
                            source_paths=["p"], provider="openai")
    assert accepted.line == SOURCE and accepted.rejection is None


def test_empty_output_is_rejected(guard: Guard) -> None:
    verdict = guard.review("  ", sources=[SOURCE], fallback=SOURCE, output_path="p",
                           source_paths=["p"], provider="local")
    assert verdict.line == SOURCE
    assert verdict.rejection is not None and verdict.rejection.reason == "empty line"


def test_numbers_normalised() -> None:
    assert numbers_in("$1,200 and 3x, 40 percent, two teams, 10k rps") == {
        "$1200", "3x", "40%", "2", "10k"}
    assert numbers_in("S3, EC2 and ES6") == set()  # digits inside names are not numbers
    assert numbers_in("1.50 vs 1.5") == {"1.5"}


def test_sentence_start_capitals_are_not_names(guard: Guard) -> None:
    source = "reduced deploy time with better caching"
    assert guard.problem("Reduced deploy time with better caching", [source]) is None
    assert guard.problem("Reduced deploy time. Better caching", [source]) is None
