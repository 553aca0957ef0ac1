"""`chargeyard serve --workers`: refused with a clear reason where several processes cannot work,
and one per core by default only where they can."""

import os

import pytest
from typer.testing import CliRunner

from chargeyard.cli.app import app, worker_count
from chargeyard.settings import Settings

POSTGRES = "postgresql+asyncpg://nobody@127.0.0.1:1/none"


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({"CHARGEYARD_DATABASE_URL": "sqlite+aiosqlite:///./x.db"}, "SQLite has one writer"),
        ({"CHARGEYARD_DATABASE_URL": POSTGRES}, "CHARGEYARD_REDIS_URL"),
        (
            {
                "CHARGEYARD_DATABASE_URL": POSTGRES,
                "CHARGEYARD_REDIS_URL": "redis://127.0.0.1:1/0",
                "CHARGEYARD_WORKER_ID": "w1",
            },
            "CHARGEYARD_WORKER_ID",
        ),
    ],
)
def test_several_workers_are_refused_before_anything_starts(
    env: dict[str, str], reason: str
) -> None:
    result = CliRunner().invoke(app, ["serve", "--workers", "2"], env=env)
    assert result.exit_code == 2
    assert reason in " ".join(result.output.replace("│", " ").split())  # rich draws a box


def test_the_default_is_one_per_core_only_on_postgresql_with_redis() -> None:
    cores = len(os.sched_getaffinity(0))
    assert worker_count(Settings(database_url="sqlite+aiosqlite:///./x.db"), None) == 1
    assert worker_count(Settings(database_url=POSTGRES), None) == 1
    clustered = Settings(database_url=POSTGRES, redis_url="redis://127.0.0.1:1/0")
    assert worker_count(clustered, None) == cores
    assert worker_count(clustered, 3) == 3
