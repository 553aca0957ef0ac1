"""Two writes that race for one row, made to meet on purpose rather than by luck.

`held_writes(server)` replaces the REST `Writing` unit of work (FastAPI's dependency override)
with one that holds the first request just before its commit, inside its unit of work, until
the test lets it go. The test sends the second request meanwhile and waits until it is stuck
behind the first: on SQLite behind the single writer's lock (queued the moment its unit of work
starts), on PostgreSQL on a row lock (seen in `pg_stat_activity`). A server that took no lock
would instead let the second reach its own commit, which ends the wait too, so the test then
sees both requests succeed. Every wait has a deadline.

The other party may be an OCPP message instead (`other_waiting`, tests/stations/
test_boot_races.py): a boot sent while the first request is held, or, with the first let go at
once (`release_first`), a request sent while a boot the test holds has the station.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

from chargeyard.api.dependencies import Server, writing
from chargeyard.storage.unit_of_work import UnitOfWork
from tests.support.server import RunningServer

DEADLINE_S = 30.0


class HeldWrites:
    """The gate two requests pass: the first is held at its commit, the second observed."""

    def __init__(self, server: RunningServer) -> None:
        self.database_url = server.settings.database_url
        self.started = 0
        self.first_started = asyncio.Event()
        self.first_holding = asyncio.Event()
        self.second_started = asyncio.Event()
        self.second_committing = asyncio.Event()
        self.released = asyncio.Event()

    async def writing(self, ctx: Server) -> AsyncIterator[UnitOfWork]:
        self.started += 1
        number = self.started
        if number == 1:
            self.first_started.set()
        if number == 2:
            self.second_started.set()
        async with ctx.db.writing() as uow:
            commit = uow.commit

            async def gated_commit() -> None:
                if number == 1:
                    self.first_holding.set()
                    await asyncio.wait_for(self.released.wait(), DEADLINE_S)
                else:
                    self.second_committing.set()
                await commit()

            uow.commit = gated_commit  # type: ignore[method-assign]
            yield uow

    async def holding_first(self) -> None:
        """Wait until the first request is inside its unit of work, about to commit."""
        await asyncio.wait_for(self.first_holding.wait(), DEADLINE_S)

    async def second_waiting(self) -> None:
        """Wait until the second request waits for the first (or, with no lock, commits)."""
        await self._waiting(self.second_started, self.second_committing)

    async def other_waiting(self, started: asyncio.Event, finished: asyncio.Event) -> None:
        """Wait until a write that is not a REST request (an OCPP message's unit), which sets
        `started` as it begins and `finished` as it ends, waits for the first request (or, with
        no lock, is done): on SQLite it queued on the writer's lock as it began."""
        await self._waiting(started, finished)

    async def _waiting(self, started: asyncio.Event, committing: asyncio.Event) -> None:
        async with asyncio.timeout(DEADLINE_S):
            await started.wait()
            if self.database_url.startswith("sqlite"):
                return  # queued on the writer's lock as its unit of work began
            either = [
                asyncio.create_task(committing.wait()),
                asyncio.create_task(self._lock_waited_on()),
            ]
            try:
                done, _ = await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    task.result()  # a failed poll fails the test
            finally:
                for task in either:
                    task.cancel()

    async def _lock_waited_on(self) -> None:
        """Return once a session of the test database waits on a lock (PostgreSQL)."""
        dsn = self.database_url.replace("postgresql+asyncpg://", "postgresql://")
        connection = await asyncpg.connect(dsn)
        try:
            for _ in range(int(DEADLINE_S / 0.01)):
                waiting = await connection.fetchval(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if waiting:
                    return
                await asyncio.sleep(0.01)
        finally:
            await connection.close()

    def release_first(self) -> None:
        self.released.set()


@asynccontextmanager
async def held_writes(server: RunningServer) -> AsyncIterator[HeldWrites]:
    assert server.app is not None, "the server must run in this process"
    gate = HeldWrites(server)
    server.app.dependency_overrides[writing] = gate.writing
    try:
        yield gate
    finally:
        gate.release_first()
        del server.app.dependency_overrides[writing]
