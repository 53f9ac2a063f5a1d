"""Shared fixtures. The service fixtures (Postgres, SeaweedFS, Celery workers) live in
tests/service_fixtures.py."""

pytest_plugins = ["tests.service_fixtures"]
