"""`chargeyard tokens`: issue API tokens from the shell (how the first admin gets in)."""

import asyncio
from typing import Annotated

import typer

from chargeyard.organizations.service import ensure_organization, issue_token
from chargeyard.settings import Settings
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade

tokens = typer.Typer(help="Manage API tokens.", no_args_is_help=True)


@tokens.command("create")
def create(
    organization: Annotated[str, typer.Option(help="Organization name; created if missing.")],
    role: Annotated[str, typer.Option(help="admin, operator or viewer.")] = "admin",
    name: Annotated[str | None, typer.Option(help="A label for the token.")] = None,
) -> None:
    """Create a service API token (one that belongs to no user) and print it (last line). It is
    shown only this once."""
    settings = Settings()
    upgrade(settings.database_url)
    secret = asyncio.run(_create(settings.database_url, organization, role, name))
    typer.echo(f"Service API token for organization {organization!r} ({role}); store it now:")
    typer.echo(secret)


async def _create(database_url: str, organization: str, role: str, name: str | None) -> str:
    db = Database(database_url)
    try:
        async with db.writing() as uow:
            org = await ensure_organization(uow.session, organization)
            issued = await issue_token(uow.session, org.id, role, name)
            await uow.commit()
        return issued.secret
    finally:
        await db.dispose()
