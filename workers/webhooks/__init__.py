"""Webhooks, one module per concern: `signing` (Standard Webhooks signatures), `targets` (the
SSRF guard), `post` (one signed POST to a checked target) and `tasks` (the outbox sender's
Celery tasks). Nothing is imported here, so the API can load the target check without loading
Celery task modules.
"""
