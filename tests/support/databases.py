"""Which database the suite runs on: SQLite by default, PostgreSQL when CHARGEYARD_TEST_POSTGRES_URL
names a server (a fresh database is created on it for the run and dropped afterwards)."""

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

POSTGRES_ENV = "CHARGEYARD_TEST_POSTGRES_URL"


@asynccontextmanager
async def fresh_database(tmp: Path) -> AsyncIterator[str]:
    """Yield the SQLAlchemy URL of an empty database."""
    server_url = os.environ.get(POSTGRES_ENV)
    if not server_url:
        yield f"sqlite+aiosqlite:///{tmp / 'chargeyard.db'}"
        return
    name = f"chargeyard_test_{uuid.uuid4().hex[:12]}"
    admin_dsn = server_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(admin_dsn)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    base = server_url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        connection = await asyncpg.connect(admin_dsn)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()
