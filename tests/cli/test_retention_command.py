"""`chargeyard retention run`: a pass from the shell, on the configured database."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from chargeyard.cli.app import app


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
