"""The database handle a process holds: engines, session factories and units of work.

Writes on SQLite take `BEGIN IMMEDIATE` behind an in-process lock. SQLite allows one writer;
a deferred transaction that reads and then writes can fail at once with SQLITE_BUSY when another
writer committed in between (no busy handler helps there), so writers queue here instead. Reads use
their own engine with plain deferred transactions and run beside the writer (WAL).
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from chargeyard.storage.engine import create_engine, create_sessionmaker
from chargeyard.storage.group_commit import GroupCommit
from chargeyard.storage.unit_of_work import CommitListener, UnitOfWork


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine: AsyncEngine = create_engine(url)
        self._writer: async_sessionmaker[AsyncSession] = create_sessionmaker(self.engine)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_manual_transactions)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin_immediate)
            self.read_engine = create_engine(url)
        else:
            self.read_engine = self.engine
        self._reader = create_sessionmaker(self.read_engine)
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        self.commit_listeners: list[CommitListener] = []
        # OCPP messages share commits on both databases: on SQLite the batch holds the single
        # writer's lock; on PostgreSQL it holds one pooled connection (its own lock), so a busy
        # node makes one BEGIN/COMMIT round trip and one pool checkout per batch, not per message.
        self._group = GroupCommit(
            self._writer, self._write_lock or asyncio.Lock(), self.commit_listeners
        )

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[UnitOfWork]:
        """A unit of work that may write; the caller commits, anything else rolls back."""
        if self._write_lock is None:
            async with self._writer() as session:
                yield UnitOfWork(session, self.commit_listeners)
            return
        async with self._write_lock, self._writer() as session:
            yield UnitOfWork(session, self.commit_listeners)

    @asynccontextmanager
    async def batched(self) -> AsyncIterator[UnitOfWork]:
        """A short unit of work that may share its commit with others (see `GroupCommit`).

        For OCPP messages: durable before `commit()` returns, like `writing()`, but many of them
        cost one commit, on SQLite and PostgreSQL alike.
        """
        async with self._group.unit() as uow:
            yield uow

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[UnitOfWork]:
        async with self._reader() as session:
            yield UnitOfWork(session, self.commit_listeners)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()


def _sqlite_manual_transactions(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite would otherwise emit a deferred one).
    dbapi_connection.isolation_level = None


def _sqlite_begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
