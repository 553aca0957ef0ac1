"""Engine construction: one async engine per process, tuned per database.

SQLite gets WAL and `synchronous=FULL` so that a commit is on disk before the station is answered
(the durability promise), and a busy timeout so concurrent writers queue instead of failing.
Database files are opened through `sqlite_driver` (aiosqlite, one thread hop per statement).
"""

from typing import Any

from sqlalchemy import Connection, Dialect, event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession

from chargeyard.storage.sqlite_driver import OneHopConnection, one_hop_connector

_SQLITE_BUSY_TIMEOUT_S = 30


def create_engine(url: str) -> AsyncEngine:
    engine = _create_engine(url)
    _plain_savepoints(engine.sync_engine.dialect)
    return engine


def _create_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:" and not path.startswith("file:"):
            connector = one_hop_connector(path, timeout=_SQLITE_BUSY_TIMEOUT_S)
            # Connections are kept (each is a thread and a file handle): with the default pool of
            # five, a burst of readers opened and closed a connection per query.
            engine = create_async_engine(
                url, async_creator=connector, pool_size=20, max_overflow=20
            )
        else:
            engine = create_async_engine(url, connect_args={"timeout": _SQLITE_BUSY_TIMEOUT_S})
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


def _plain_savepoints(dialect: Dialect) -> None:
    """Savepoints as plain SQL strings. Every OCPP message runs in a savepoint of a shared
    transaction (`group_commit.py`), and SQLAlchemy emits SAVEPOINT, RELEASE and ROLLBACK TO
    through its whole statement machinery (a clause object, its cache key, a compiled lookup):
    about a tenth of what a message cost. The names are SQLAlchemy's own (`sa_savepoint_N`), and
    the three statements read the same on SQLite and PostgreSQL. Where SQLite statements run on
    the event loop (`sqlite_driver.inline_statements`), they go straight to the database
    connection."""

    def run(connection: Connection, sql: str) -> None:
        driver = connection.connection.driver_connection
        if not (isinstance(driver, OneHopConnection) and driver.run_inline(sql)):
            connection.exec_driver_sql(sql)

    def do_savepoint(connection: Connection, name: str) -> None:
        run(connection, f"SAVEPOINT {name}")

    def do_release_savepoint(connection: Connection, name: str) -> None:
        run(connection, f"RELEASE SAVEPOINT {name}")

    def do_rollback_to_savepoint(connection: Connection, name: str) -> None:
        run(connection, f"ROLLBACK TO SAVEPOINT {name}")

    # Instance attributes shadow the dialect class's hooks for this engine only.
    dialect.do_savepoint = do_savepoint  # type: ignore[method-assign]
    dialect.do_release_savepoint = do_release_savepoint  # type: ignore[method-assign]
    dialect.do_rollback_to_savepoint = do_rollback_to_savepoint  # type: ignore[method-assign]
