"""The HTTP API (FastAPI): validates, records the job, enqueues its chain, answers 202.
It never runs a pipeline stage itself."""
