"""The models and the migrations describe one schema.

`storage/tables.py` must import every `*/models.py` (Alembic's env and these tests only see the
tables registered on `Base.metadata`), and a fresh database migrated to head must be exactly what
the models declare: a model change without its migration (or a migration without its model
change) is caught here, not on an operator's upgrade. The comparison runs on SQLite, the default
database, where every migration also has to work.
"""

import asyncio
import warnings
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import chargeyard
from chargeyard.storage import tables
from chargeyard.storage.base import Base
from chargeyard.storage.migrate import upgrade

PACKAGE = Path(chargeyard.__file__).parent


def test_every_models_module_is_registered_in_tables() -> None:
    declared = {path.parent.name for path in PACKAGE.glob("*/models.py")}
    registered = {
        module.__name__.split(".")[1]
        for module in vars(tables).values()
        if getattr(module, "__name__", "").endswith(".models")
    }
    assert declared - registered == set(), "add these packages' models to storage/tables.py"


def _differences(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    with warnings.catch_warnings():
        # SQLite cannot reflect expression indexes (ix_transactions_open_tag); Alembic says so and
        # skips them, which is all it can do there.
        warnings.simplefilter("ignore")
        return list(compare_metadata(context, Base.metadata))


async def _compare(url: str) -> list[Any]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_differences)
    finally:
        await engine.dispose()


async def test_a_database_migrated_to_head_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'migrated.db'}"
    await asyncio.to_thread(upgrade, url)

    differences = await _compare(url)

    assert differences == [], "a model change needs its Alembic migration (or the reverse)"
