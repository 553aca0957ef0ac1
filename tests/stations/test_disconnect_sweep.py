"""Marking a dead worker's stations disconnected never waits for a station's row: on
PostgreSQL, a restarted cluster's stations come back while the sweep runs, and a group commit
marking one of them connected holds its row until its batch commits. The sweep skips that
station (its new connection is writing it) and marks the rest; the next sweep takes any it
skipped that is still held by the dead worker. And two workers' batches, each marking one
station gone and another connected, lock the rows in one order."""

import asyncio
import contextlib
import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text, update

from chargeyard.stations.connections import connection_recorded, disconnection_recorded
from chargeyard.stations.models import Station
from chargeyard.stations.repository import mark_disconnected
from chargeyard.storage.database import Database
from chargeyard.storage.group_commit import GuardMissed
from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.support.databases import POSTGRES_ENV

pytestmark = pytest.mark.skipif(
    not os.environ.get(POSTGRES_ENV),
    reason="two transactions writing at once need PostgreSQL (SQLite has one writer)",
)

DEAD = "dead-worker-1"
BOUND_S = 10
"""A bound on a hang (the sweep waiting for the held row), never what decides an outcome."""


async def test_a_sweep_skips_a_station_another_transaction_holds(tenant: Tenant) -> None:
    stations = Stations(tenant)
    held, free = await stations.register(), await stations.register()
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.writing() as uow:
            await uow.session.execute(
                update(Station)
                .where(Station.id.in_([held, free]))
                .values(connected=True, connected_node=DEAD)
            )
            await uow.commit()
        async with db.writing() as holder:
            # A batch marking `held` connected on its new worker, not yet committed.
            await holder.session.execute(
                update(Station).where(Station.id == held).values(connected_node="new-worker")
            )
            async with asyncio.timeout(BOUND_S), db.writing() as sweep:
                swept = await mark_disconnected(sweep.session, [DEAD], datetime.now(UTC))
                await sweep.commit()
            assert [station_id for station_id, _ in swept] == [free]
            await holder.session.rollback()  # the new connection failed after all
        async with db.writing() as sweep:  # the next sweep takes it
            swept = await mark_disconnected(sweep.session, [DEAD], datetime.now(UTC))
            await sweep.commit()
        assert [station_id for station_id, _ in swept] == [held]
        async with db.reading() as uow:
            rows = await uow.session.execute(
                select(Station.id, Station.connected).where(Station.id.in_([held, free]))
            )
            assert {row.id: row.connected for row in rows} == {held: False, free: False}
    finally:
        await db.dispose()


async def test_stations_moving_both_ways_between_two_workers_do_not_deadlock(
    tenant: Tenant,
) -> None:
    """Worker A ends X's socket and takes Y's reconnection in one batch; worker B ends Y's and
    takes X's in one batch of its own. A third transaction holds both rows until both batches
    wait on them, then lets go of both at once. Locking in the order the units joined, A would
    take X and B take Y and each then wait for the other's (PostgreSQL's deadlock detector
    failed one of them: hundreds of handshakes in a 2-worker restart storm); in row order both
    wait for X first, and the second batch runs once the first has committed."""
    stations = Stations(tenant)
    x, y = sorted([await stations.register(), await stations.register()])
    org = tenant.organization_id
    url = tenant.server.settings.database_url
    worker_a, worker_b, blocker = Database(url), Database(url), Database(url)

    def now() -> datetime:
        return datetime.now(UTC)

    async def end(db: Database, station_id: str, node: str) -> None:
        async with db.deferred() as unit:
            disconnection_recorded(unit, org, station_id, node, now)
            with contextlib.suppress(GuardMissed):  # the other worker's reconnection won
                await unit.commit()

    async def reconnect(db: Database, station_id: str, node: str) -> None:
        async with db.deferred() as unit:
            connection_recorded(unit, org, station_id, "ocpp1.6", node, now, replaced=True)
            await unit.commit()

    async def waiting_on_locks() -> int:
        async with blocker.reading() as uow:
            found = await uow.session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND datname = current_database() AND query LIKE 'UPDATE stations%'"
                )
            )
        return int(found or 0)

    try:
        async with blocker.writing() as uow:
            await uow.session.execute(
                update(Station).where(Station.id == x).values(connected=True, connected_node="A")
            )
            await uow.session.execute(
                update(Station).where(Station.id == y).values(connected=True, connected_node="B")
            )
            await uow.commit()
        async with blocker.writing() as holder:
            await holder.session.execute(
                select(Station.id).where(Station.id.in_([x, y])).with_for_update()
            )
            batches = asyncio.gather(
                end(worker_a, x, "A"),
                reconnect(worker_a, y, "A"),
                end(worker_b, y, "B"),
                reconnect(worker_b, x, "B"),
            )
            async with asyncio.timeout(BOUND_S):
                while await waiting_on_locks() < 2:  # noqa: ASYNC110 - PostgreSQL's view, no event
                    await asyncio.sleep(0.01)
            await holder.session.rollback()
        async with asyncio.timeout(BOUND_S):
            await batches  # a deadlock raises here
        async with blocker.reading() as uow:
            rows = await uow.session.execute(
                select(Station.id, Station.connected, Station.connected_node).where(
                    Station.id.in_([x, y])
                )
            )
            state = {row.id: (row.connected, row.connected_node) for row in rows}
        # Each station ends connected to the worker it moved to, whichever batch ran first.
        assert state == {x: (True, "B"), y: (True, "A")}
    finally:
        for db in (worker_a, worker_b, blocker):
            await db.dispose()
