"""Shared fixtures. The service fixtures (Postgres, SeaweedFS, Celery workers) live in
tests/service_fixtures.py."""

import pytest

pytest_plugins = ["tests.service_fixtures"]


def pytest_addoption(parser: pytest.Parser) -> None:
    # Registered here, at the root, so `pytest --update-reference` works from anywhere.
    parser.addoption(
        "--update-reference",
        action="store_true",
        default=False,
        help="rewrite the reference .tex files instead of comparing with them",
    )
