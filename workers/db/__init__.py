"""Job tracking in Postgres: models, session, the repository of every query, migrations."""
