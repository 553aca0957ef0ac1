"""Marking a dead worker's stations disconnected never waits for a station's row: on
PostgreSQL, a restarted cluster's stations come back while the sweep runs, and a group commit
marking one of them connected holds its row until its batch commits. The sweep skips that
station (its new connection is writing it) and marks the rest; the next sweep takes any it
skipped that is still held by the dead worker."""

import asyncio
import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from chargeyard.stations.models import Station
from chargeyard.stations.repository import mark_disconnected
from chargeyard.storage.database import Database
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
