"""A station's connection and its end as deferred writes (`stations/connections.py`): the end
of one worker's socket marks the station gone only while no other worker holds it."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from chargeyard.stations.connections import connection_recorded, disconnection_recorded
from chargeyard.stations.models import Station
from chargeyard.storage.database import Database
from chargeyard.storage.group_commit import GuardMissed
from tests.conftest import Tenant
from tests.protocol.conftest import Stations, events_of, eventually

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


async def connectivity(db: Database, station_id: str) -> tuple[bool, str | None]:
    async with db.reading() as uow:
        row = (
            await uow.session.execute(
                select(Station.connected, Station.connected_node).where(Station.id == station_id)
            )
        ).one()
    return bool(row[0]), row[1]


async def held_by(db: Database, station_id: str, node: str | None) -> None:
    async with db.writing() as uow:
        await uow.session.execute(
            update(Station)
            .where(Station.id == station_id)
            .values(connected=node is not None, connected_node=node)
        )
        await uow.commit()


async def test_a_socket_ending_marks_its_station_gone_unless_another_worker_holds_it(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.deferred() as unit:
            connection_recorded(
                unit,
                tenant.organization_id,
                station_id,
                "ocpp1.6",
                "node-a",
                lambda: NOW,
                replaced=False,
            )
            await unit.commit()
        assert await connectivity(db, station_id) == (True, "node-a")

        # Node b's reconnection committed first: node a's end of the old socket changes
        # nothing and records nothing.
        await held_by(db, station_id, "node-b")
        async with db.deferred() as unit:
            disconnection_recorded(unit, tenant.organization_id, station_id, "node-a", lambda: NOW)
            with pytest.raises(GuardMissed):
                await unit.commit()
        assert await connectivity(db, station_id) == (True, "node-b")
        assert await events_of(tenant.server, station_id, "station.disconnected") == []

        # Node b's own end does; so does one found with no holder (swept meanwhile).
        async with db.deferred() as unit:
            disconnection_recorded(unit, tenant.organization_id, station_id, "node-b", lambda: NOW)
            await unit.commit()
        assert await connectivity(db, station_id) == (False, None)
        async with db.deferred() as unit:
            disconnection_recorded(unit, tenant.organization_id, station_id, "node-a", lambda: NOW)
            await unit.commit()
        gone = await events_of(tenant.server, station_id, "station.disconnected")
        assert gone == [{"station_id": station_id}] * 2

        # Another organization's station of the same id is not touched.
        async with db.deferred() as unit:
            disconnection_recorded(unit, "someone-else", station_id, "node-a", lambda: NOW)
            with pytest.raises(GuardMissed):
                await unit.commit()
    finally:
        await db.dispose()


async def test_a_closed_socket_is_recorded_as_a_disconnection(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id):
        assert (await stations.detail(station_id))["connected"] is True

    async def gone() -> bool:
        return (await stations.detail(station_id))["connected"] is False

    await eventually(gone)
    assert await events_of(tenant.server, station_id, "station.disconnected") == [
        {"station_id": station_id}
    ]
