"""`chargeyard retention`: run a retention pass now, or see what it would delete.

The database and service imports are inside the functions: the CLI imports this module at every
start, `chargeyard serve` included, which listens before anything heavy (`cli/app.py`)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Annotated

import typer

from chargeyard.cli.clock import command_clock
from chargeyard.settings import Settings

if TYPE_CHECKING:
    from chargeyard.clock import Clock
    from chargeyard.retention.domain import RetentionReport

retention = typer.Typer(
    help="Delete old records as the retention settings say.", no_args_is_help=True
)


@retention.command("run")
def run(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be deleted; delete nothing.")
    ] = False,
) -> None:
    """One retention pass with the CHARGEYARD_RETENTION_* settings (a running server also runs
    one every CHARGEYARD_RETENTION_INTERVAL_S)."""
    from chargeyard.storage.migrate import upgrade

    settings = Settings()
    upgrade(settings.database_url)
    report = asyncio.run(_run(settings, dry_run, command_clock(ctx)))
    verb = "would delete" if dry_run else "deleted"
    typer.echo(f"database: {settings.database_url}")
    for kind, count in vars(report).items():
        if kind == "rollups_written":
            if not dry_run:
                typer.echo(f"hourly rollups written: {count}")
            continue
        typer.echo(f"{kind.replace('_', ' ')}: {verb} {count}")


async def _run(settings: Settings, dry_run: bool, clock: Clock) -> RetentionReport:
    from chargeyard.retention.job import policy_of
    from chargeyard.retention.service import run_pass
    from chargeyard.storage.database import Database

    db = Database(settings.database_url, clock)
    try:
        return await run_pass(db, policy_of(settings), clock(), dry_run=dry_run)
    finally:
        await db.dispose()
