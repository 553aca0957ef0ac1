"""The database handle a process holds: engines, session factories and units of work.

Writes on SQLite take `BEGIN IMMEDIATE` behind an in-process lock. SQLite allows one writer;
a deferred transaction that reads and then writes can fail at once with SQLITE_BUSY when another
writer committed in between (no busy handler helps there), so writers queue here instead. Reads use
their own engine with plain deferred transactions and run beside the writer (WAL).

A database holds the process's clock: every session it makes stamps rows from it (`stamps.py`).
"""

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from chargeyard.clock import Clock, utcnow
from chargeyard.storage.engine import create_engine, create_sessionmaker
from chargeyard.storage.group_commit import DeferredUnit, GroupCommit
from chargeyard.storage.stamps import with_clock
from chargeyard.storage.unit_of_work import CommitListener, UnitOfWork
from chargeyard.storage.write_health import WriteHealth, is_write_failure


class Database:
    def __init__(self, url: str, clock: Clock = utcnow) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.engine: AsyncEngine = create_engine(url)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_manual_transactions)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin_immediate)
            self.read_engine = create_engine(url)
        else:
            self.read_engine = self.engine
        # The listeners above are the engines' own; the clocked views share them and the pools.
        self._writer: async_sessionmaker[AsyncSession] = create_sessionmaker(
            with_clock(self.engine, clock)
        )
        self._reader = create_sessionmaker(with_clock(self.read_engine, clock))
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        self.commit_listeners: list[CommitListener] = []
        self.write_health = WriteHealth()
        # OCPP messages share commits on both databases: on SQLite the batch holds the single
        # writer's lock; on PostgreSQL it holds one pooled connection (its own lock), so a busy
        # node makes one BEGIN/COMMIT round trip and one pool checkout per batch, not per message.
        self._group = GroupCommit(
            self._writer,
            self._write_lock or asyncio.Lock(),
            self.commit_listeners,
            self.write_health,
        )

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[UnitOfWork]:
        """A unit of work that may write; the caller commits, anything else rolls back."""
        with self._watching_writes():
            if self._write_lock is None:
                async with self._writer() as session:
                    yield UnitOfWork(session, self.commit_listeners, self.write_health)
                return
            async with self._write_lock, self._writer() as session:
                yield UnitOfWork(session, self.commit_listeners, self.write_health)

    @asynccontextmanager
    async def batched(self) -> AsyncIterator[UnitOfWork]:
        """A short unit of work that may share its commit with others (see `GroupCommit`).

        For OCPP messages: durable before `commit()` returns, like `writing()`, but many of them
        cost one commit, on SQLite and PostgreSQL alike.
        """
        with self._watching_writes():
            async with self._group.unit() as uow:
                yield uow

    @asynccontextmanager
    async def deferred(self) -> AsyncIterator[DeferredUnit]:
        """A unit of the group commit without a session: rows appended and at most one
        guarded write, run at the batch's commit (see `group_commit.py`)."""
        with self._watching_writes():
            async with self._group.deferred() as unit:
                yield unit

    @contextmanager
    def _watching_writes(self) -> Iterator[None]:
        """Record a database error that ends a write unit (a failing statement or commit) in
        `write_health`; successes are recorded by the commits themselves."""
        try:
            yield
        except Exception as error:
            if is_write_failure(error) and not _recorded(error):
                self.write_health.failed(error)
                error.__dict__["_chargeyard_write_failure_recorded"] = True
            raise

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[UnitOfWork]:
        async with self._reader() as session:
            yield UnitOfWork(session, self.commit_listeners)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()


def _recorded(error: BaseException) -> bool:
    # A group commit's failure is one error raised in every member: count it once.
    return bool(error.__dict__.get("_chargeyard_write_failure_recorded"))


def _sqlite_manual_transactions(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite would otherwise emit a deferred one).
    dbapi_connection.isolation_level = None


def _sqlite_begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
