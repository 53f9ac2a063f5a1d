"""`resume-tailor-admin`: operator commands (migrations, bucket, reaper)."""

from __future__ import annotations

from pathlib import Path

import typer
from alembic import command
from alembic.config import Config

app = typer.Typer(help="resume-tailor service administration", no_args_is_help=True)

ALEMBIC_INI = Path(__file__).parent / "db" / "alembic.ini"


def alembic_config(database_url: str | None = None) -> Config:
    config = Config(str(ALEMBIC_INI))
    if database_url:
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def migrate_database(database_url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


@app.command()
def migrate(
    revision: str = typer.Argument("head", help="target revision"),
    database_url: str | None = typer.Option(None, help="default: RT_DATABASE_URL"),
) -> None:
    """Apply the Alembic migrations to the job-tracking database."""
    migrate_database(database_url, revision)


@app.command()
def revision(message: str, autogenerate: bool = True) -> None:
    """Write a new migration from the difference between the models and the database."""
    command.revision(alembic_config(), message=message, autogenerate=autogenerate)


@app.command("ensure-bucket")
def ensure_bucket_command() -> None:
    """Create the artifacts bucket if it does not exist."""
    from workers import storage

    storage.ensure_bucket()


@app.command()
def reap() -> None:
    """Fail or requeue jobs stuck past their stage's time limit, once."""
    from workers.reaper import reap_stuck_jobs

    result = reap_stuck_jobs()
    typer.echo(f"requeued {len(result.requeued)}, failed {len(result.failed)}")


def main() -> None:
    app()
