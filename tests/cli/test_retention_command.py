"""`chargeyard retention run`: a pass from the shell, on the configured database, at the time of\nthe command's clock."""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chargeyard.cli.app import app
from chargeyard.cli.clock import Handed
from chargeyard.message_log.models import LoggedMessage
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade


def test_a_dry_run_counts_and_deletes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHARGEYARD_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cy.db'}")
    result = CliRunner().invoke(app, ["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "message log: would delete 0" in result.output
    assert "meter values: would delete 0" in result.output
    assert str(tmp_path / "cy.db") in result.output


def test_a_pass_reports_what_it_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARGEYARD_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cy.db'}")
    monkeypatch.setenv("CHARGEYARD_RETENTION_EVENTS_DAYS", "0")  # 0: kept for ever
    result = CliRunner().invoke(app, ["retention", "run"])
    assert result.exit_code == 0, result.output
    assert "events: deleted 0" in result.output
    assert "hourly rollups written: 0" in result.output


def test_a_pass_cuts_off_at_the_time_of_the_clock_it_is_handed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A message logged 30 days before the handed clock's time is past a 7-day retention; at
    its own time it is not. (The wall clock, years before 2031, would count nothing.)"""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cy.db'}"
    monkeypatch.setenv("CHARGEYARD_DATABASE_URL", url)
    monkeypatch.setenv("CHARGEYARD_RETENTION_MESSAGE_LOG_DAYS", "7")
    upgrade(url)
    asyncio.run(log_a_message(url))

    def run_at(now: datetime) -> str:
        handed = Handed(lambda: now)
        result = CliRunner().invoke(app, ["retention", "run", "--dry-run"], obj=handed)
        assert result.exit_code == 0, result.output
        return result.output

    assert "message log: would delete 0" in run_at(LOGGED)
    assert "message log: would delete 1" in run_at(LOGGED + timedelta(days=30))


LOGGED = datetime(2031, 3, 4, 5, 6, 7, tzinfo=UTC)


async def log_a_message(url: str) -> None:
    db = Database(url, lambda: LOGGED)
    try:
        async with db.writing() as uow:
            uow.session.add(
                LoggedMessage(
                    station_id="CP1",
                    direction="in",
                    message_type=2,
                    unique_id="1",
                    action="Heartbeat",
                    frame='[2,"1","Heartbeat",{}]',
                    logged_at=LOGGED,
                )
            )
            await uow.commit()
    finally:
        await db.dispose()
