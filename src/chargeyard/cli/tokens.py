"""`chargeyard tokens`: issue API tokens from the shell (how the first admin gets in).

The database and service imports are inside the functions: the CLI imports this module at every
start, `chargeyard serve` included, which listens before anything heavy (`cli/app.py`)."""

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from chargeyard.cli.clock import command_clock
from chargeyard.clock import Clock
from chargeyard.settings import Settings

tokens = typer.Typer(help="Manage API tokens.", no_args_is_help=True)


@tokens.command("create")
def create(
    ctx: typer.Context,
    organization: Annotated[
        str,
        typer.Option(
            help="Organization name. It must exist, unless the database has none yet or "
            "--create-organization is given."
        ),
    ],
    role: Annotated[str, typer.Option(help="admin, operator or viewer.")] = "admin",
    name: Annotated[str | None, typer.Option(help="A label for the token.")] = None,
    create_organization: Annotated[
        bool, typer.Option(help="Create the organization if it does not exist.")
    ] = False,
) -> None:
    """Create a service API token (one that belongs to no user) and print it (last line). It is
    shown only this once."""
    from chargeyard.errors import NotFound
    from chargeyard.storage.migrate import upgrade

    settings = Settings()
    database, new = describe_database(settings.database_url)
    upgrade(settings.database_url)
    # On stderr, so that `... | tail -n 1` still takes the token: which database the token is
    # in, since a server started elsewhere (another directory, other settings) has its own.
    typer.echo(f"Database: {database}" + (" (created now)" if new else ""), err=True)
    if new:
        typer.echo(
            "The server must use this same database (CHARGEYARD_DATABASE_URL) to accept the token.",
            err=True,
        )
    try:
        secret = asyncio.run(
            _create(
                settings.database_url,
                organization,
                role,
                name,
                create_organization,
                command_clock(ctx),
            )
        )
    except NotFound as error:
        typer.echo(f"Error: {error.detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Service API token for organization {organization!r} ({role}); store it now:")
    typer.echo(secret)


def describe_database(database_url: str) -> tuple[str, bool]:
    """The database as a person can find it (an SQLite file's absolute path, a server URL
    without its password), and whether it is an SQLite file that does not exist yet."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(str(url.database)).resolve()
        return f"SQLite file {path}", not path.exists()
    return url.render_as_string(hide_password=True), False


async def _create(
    database_url: str,
    organization: str,
    role: str,
    name: str | None,
    create_missing: bool,
    clock: Clock,
) -> str:
    from chargeyard.organizations.service import issue_token, organization_to_issue
    from chargeyard.storage.database import Database

    db = Database(database_url, clock)
    try:
        async with db.writing() as uow:
            org = await organization_to_issue(uow.session, organization, create=create_missing)
            issued = await issue_token(uow.session, org.id, role, name)
            await uow.commit()
        return issued.secret
    finally:
        await db.dispose()
