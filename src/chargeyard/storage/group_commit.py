"""Group commit: many short units of work share one transaction and one commit.

SQLite has one writer, and with `synchronous=FULL` every commit waits for the disk, which caps a
server that commits each OCPP message alone at the disk's sync rate. Here each unit runs in a
SAVEPOINT of a shared transaction, one unit at a time, and its `commit()` returns only once the
shared transaction that holds it has committed. A station is still answered only after its data is
durable, but one sync serves every unit that ran while the previous one was in flight. A unit that
fails rolls back its own savepoint and nothing else.

A *deferred* unit (`deferred()`) has no session and no savepoint at all: it only appends rows
and may defer one guarded write, a statement run at the batch's commit that must match exactly
one row (and the statements that follow it only when it did). The commonest OCPP message (a meter reading of a session the connection holds,
`transactions/metering.py`) needs nothing else, and a savepoint, even empty, is most of what
such a unit would cost. A guarded write that matches no row (the row changed since the
connection took its copy) drops that unit's rows and fails its `commit()` with `GuardMissed`,
alone, and its caller takes the full path in an ordinary unit.

Units must be short and must not use their session after `commit()` returns (the batch's session
is closed by then): OCPP message handlers, not REST requests. Because they are short and hold the
writer, their statements on SQLite run on the event loop, without a hop to the connection's
thread (`sqlite_driver.inline_statements`); the commit itself still hops.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, AsyncSessionTransaction, async_sessionmaker
from sqlalchemy.sql import Executable
from sqlalchemy.sql.dml import Update

from chargeyard.observability.metrics import observe_commit
from chargeyard.storage.appended import insert_appended
from chargeyard.storage.sqlite_driver import inline_statements
from chargeyard.storage.sqlite_statements import defaults_context, driver_of, run_update
from chargeyard.storage.unit_of_work import CommitListener, Outbox, UnitOfWork, announce
from chargeyard.storage.write_health import WriteHealth


class GroupCommit:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        write_lock: asyncio.Lock,
        listeners: Sequence[CommitListener],
        health: WriteHealth | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._health = health
        self._write_lock = write_lock
        self._listeners = listeners
        # Whoever holds the turn uses the shared session: one unit's body, or the commit.
        self._turn = asyncio.Lock()
        self._session: AsyncSession | None = None
        self._members: list[_Member] = []
        self._flush: asyncio.Task[None] | None = None

    @asynccontextmanager
    async def unit(self) -> AsyncIterator[UnitOfWork]:
        await self._turn.acquire()
        unit: _BatchedUnit | None = None
        try:
            if self._session is None:
                await self._write_lock.acquire()
                self._session = self._sessionmaker()
            unit = _BatchedUnit(self, self._session, await self._session.begin_nested())
            with inline_statements():
                yield unit
        finally:
            if unit is None or not unit.joined:
                try:
                    if unit is not None:
                        await unit.undo()
                finally:
                    self._turn.release()
                    self._schedule_flush()

    @asynccontextmanager
    async def deferred(self) -> AsyncIterator["DeferredUnit"]:
        """A unit without a session: appended rows and at most one guarded write."""
        yield DeferredUnit(self)

    def _join(self, member: "_Member") -> None:
        self._members.append(member)
        self._turn.release()
        self._schedule_flush()

    def _schedule_flush(self) -> None:
        if self._flush is None or self._flush.done():
            self._flush = asyncio.create_task(self._commit_batch(), name="group-commit")

    async def _commit_batch(self) -> None:
        async with self._turn:
            session, self._session = self._session, None
            members, self._members = self._members, []
            if session is None:
                if not members:
                    return
                # Only deferred units joined: the batch opens its transaction now.
                await self._write_lock.acquire()
                session = self._sessionmaker()
            started = time.perf_counter()
            try:
                await _run_guarded(session, members)
                # The batch's multi-row INSERTs keep their hop: one per table per batch costs
                # little, and SQLite builds the rows' index entries on its own thread meanwhile.
                kept = [m for m in members if not m.missed]
                await insert_appended(session, [row for m in kept for row in m.appended])
                await session.commit()
            except Exception as error:
                # Each member raises `error`; `Database.batched` records the failure once.
                for member in members:
                    if not member.done.done():
                        member.done.set_exception(error)
                return
            finally:
                await session.close()
                self._write_lock.release()
            observe_commit("group", time.perf_counter() - started, len(members))
            if self._health is not None:
                self._health.succeeded()
            for member in members:
                if member.done.done():
                    continue
                if member.missed:
                    member.done.set_exception(GuardMissed())
                    continue
                member.done.set_result(None)
                announce(self._listeners, member.published)


class GuardMissed(Exception):
    """A deferred unit's guarded write matched no row: nothing of the unit was stored."""


@dataclass(frozen=True)
class GuardedWrite:
    """A statement that must match exactly one row, what to do when it matches none, and the
    statements that run after it only when it matched."""

    statement: Executable
    parameters: dict[str, Any]
    on_miss: Callable[[], None]
    then: Sequence[tuple[Executable, dict[str, Any]]] = ()
    row: tuple[str, str] = field(kw_only=True)
    """The row it locks (table, primary key); required, so no guarded write escapes the
    order. A batch runs its guarded writes in this order
    (units on one row keep the order they joined in), so the batches of two workers on
    PostgreSQL take their row locks in one order and never wait on each other in a cycle: a
    station reconnecting to one worker while the other marks it gone was a deadlock."""


async def _run_guarded(session: AsyncSession, members: list["_Member"]) -> None:
    """Run the deferred units' guarded writes in the batch's transaction, marking each unit
    whose write matched no row (its rows are then left out)."""
    writes = sorted(
        ((member, member.guarded) for member in members if member.guarded is not None),
        key=lambda pair: pair[1].row,
    )
    if not writes:
        return
    connection = await session.connection()
    driver = await driver_of(connection)
    dialect = connection.dialect
    context = defaults_context(connection)

    async def run(statement: Executable, parameters: dict[str, Any]) -> int:
        if driver is not None and isinstance(statement, Update):
            count = run_update(driver, dialect, statement, parameters, context)
            if count is not None:
                return count
        result = await connection.execute(statement, parameters)
        return int(result.rowcount)

    with inline_statements():  # one short UPDATE by primary key each
        for member, write in writes:
            if await run(write.statement, write.parameters) != 1:
                member.missed = True
                write.on_miss()
                continue
            for statement, parameters in write.then:
                await run(statement, parameters)


class _Member:
    def __init__(
        self, published: list[Any], appended: list[Any], guarded: GuardedWrite | None = None
    ) -> None:
        self.published = published
        self.appended = appended
        self.guarded = guarded
        self.missed = False
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()


class DeferredUnit(Outbox):
    """See the module docstring: rows appended, at most one guarded write, no session."""

    def __init__(self, batch: GroupCommit) -> None:
        super().__init__()
        self.batch = batch
        self.guarded: GuardedWrite | None = None

    def defer(self, write: GuardedWrite) -> None:
        if self.guarded is not None:
            raise RuntimeError("a deferred unit has at most one guarded write")
        self.guarded = write

    async def commit(self) -> None:
        """Join the next batch; return once it is durable. Raises `GuardMissed` (nothing of
        this unit stored) when the guarded write matched no row."""
        if not self._appended and self.guarded is None:
            return  # nothing to make durable
        member = _Member(self._published, self.take_appended(), self.guarded)
        self._published = []
        await self.batch._turn.acquire()  # as units join: never while a batch commits
        self.batch._join(member)
        await member.done


class _BatchedUnit(UnitOfWork):
    def __init__(
        self, batch: GroupCommit, session: AsyncSession, savepoint: AsyncSessionTransaction
    ) -> None:
        super().__init__(session)
        self.batch = batch
        self.savepoint = savepoint
        self.joined = False

    async def undo(self) -> None:
        """Roll back this unit's savepoint: it is still open, or its release failed in a flush
        (which deactivates it without rolling it back)."""
        await self.savepoint.rollback()

    async def commit(self) -> None:
        """Release the savepoint, then wait until the shared transaction is durable."""
        await self.savepoint.commit()
        member = _Member(self._published, self.take_appended())
        self._published = []
        self.joined = True
        self.batch._join(member)
        await member.done
