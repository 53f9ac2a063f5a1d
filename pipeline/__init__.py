"""resume-tailor's pure pipeline: parse → score → rewrite → compile, over pydantic models.

Nothing here imports SQLAlchemy, Celery, FastAPI, the service packages, or reads the
environment: callers pass configuration in (a test enforces this).
"""
