"""Job tracking in Postgres: models, session, migrations, and the queries, one module per
aggregate: `jobs` (create and read), `transitions` (a job's guarded state changes),
`batches`, `stuck_jobs` (the reaper's), `outbox` (webhook deliveries) and `status_reads` (what
the API's status answers show).

Query functions take a Session and never commit: the caller's `session_scope()` (a task
wrapper or a request) does, and enqueues only after that commit.
"""
