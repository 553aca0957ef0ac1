"""Alembic environment: runs migrations over the async engine Chargeyard itself uses."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import chargeyard.storage.tables  # noqa: F401  (registers every table on the metadata)
from chargeyard.storage.base import Base
from chargeyard.storage.engine import create_engine

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _migrate() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_migrate())
