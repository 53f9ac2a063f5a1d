"""`resume-tailor-admin`: operator commands (migrations, bucket, reaper, API keys, tenants'
webhook secrets, retention)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from alembic import command
from alembic.config import Config

app = typer.Typer(help="resume-tailor service administration", no_args_is_help=True)

ALEMBIC_INI = Path(__file__).parent / "db" / "alembic.ini"
DEFAULT_SCOPES = ("jobs:write", "jobs:read", "batches:write")


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


keys_app = typer.Typer(help="API keys: each bound to one tenant and its scopes",
                       no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    tenant: str = typer.Option(..., help="the tenant the key acts for (a-z, 0-9, '-')"),
    scope: Annotated[list[str] | None, typer.Option(
        "--scope", help="repeat for each: jobs:write, jobs:read, batches:write, admin "
                        "(default: the first three)")] = None,
    name: str = typer.Option("", help="a note to recognise the key by"),
) -> None:
    """Create a key and print it once (only its hash is kept)."""
    from workers.db import api_keys
    from workers.db.session import session_scope
    from workers.tenants import InvalidTenant

    try:
        with session_scope() as session:
            row, key = api_keys.create_key(session, tenant=tenant, name=name,
                                           scopes=scope or DEFAULT_SCOPES)
            typer.echo(f"created key {row.prefix} for tenant {row.tenant} "
                       f"({', '.join(row.scopes)}); it is shown only now:", err=True)
    except (InvalidTenant, ValueError) as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(key)


@keys_app.command("list")
def keys_list(tenant: str | None = typer.Option(None, help="only this tenant's")) -> None:
    """Every key: prefix, tenant, scopes, created, revoked (never the key itself)."""
    from workers.db import api_keys
    from workers.db.session import session_scope

    with session_scope() as session:
        for row in api_keys.list_keys(session, tenant):
            revoked = row.revoked_at.isoformat() if row.revoked_at else "-"
            typer.echo(f"{row.prefix}\t{row.tenant}\t{','.join(row.scopes)}\t"
                       f"{row.created_at.isoformat()}\trevoked={revoked}\t{row.name}")


@keys_app.command("revoke")
def keys_revoke(prefix: str = typer.Argument(..., help="the key's prefix (keys list)")) -> None:
    """Revoke a key; API processes stop accepting it within RT_API_KEY_CACHE_S."""
    from workers.db import api_keys
    from workers.db.session import session_scope

    with session_scope() as session:
        if not api_keys.revoke_key(session, prefix):
            typer.echo(f"no live key with prefix {prefix!r}", err=True)
            raise typer.Exit(1)
    typer.echo(f"revoked {prefix}")


@app.command("webhook-secret")
def webhook_secret(tenant: str) -> None:
    """Print the secret the tenant's webhooks are signed with (give it to their receiver)."""
    from workers.settings import get_settings
    from workers.tenants import InvalidTenant, check_tenant

    try:
        check_tenant(tenant)
    except InvalidTenant as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(get_settings().webhook_secret_for(tenant))


@app.command()
def purge_expired() -> None:
    """Delete the personal data of jobs older than RT_RETENTION_DAYS, once (beat runs it)."""
    from workers.retention import purge_expired_jobs

    typer.echo(f"purged {purge_expired_jobs()} job(s)")


def main() -> None:
    app()
