"""Which stations a worker marks disconnected: a dead worker's, its own earlier ones at start,
never a live peer's (several workers on one node must not mark each other's stations offline)."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select, update

from chargeyard.cluster.memory import InMemoryBus, InMemoryHub
from chargeyard.cluster.node import ClusterNode
from chargeyard.cluster.sweeper import PresenceSweeper
from chargeyard.settings import Settings
from chargeyard.stations.models import Station
from chargeyard.storage.database import Database
from tests.conftest import Tenant

NOW = datetime(2026, 1, 1, tzinfo=UTC)


async def stations_held_by(tenant: Tenant, holders: list[str]) -> dict[str, str]:
    """One registered station per holder, recorded as connected through it."""
    held = {}
    db = Database(tenant.server.settings.database_url)
    try:
        for holder in holders:
            station_id = tenant.unique("CP")
            response = await tenant.api.post("/stations", json={"id": station_id})
            assert response.status_code == 201, response.text
            held[station_id] = holder
        async with db.writing() as uow:
            for station_id, holder in held.items():
                await uow.session.execute(
                    update(Station)
                    .where(Station.id == station_id)
                    .values(connected=True, connected_node=holder)
                )
            await uow.commit()
    finally:
        await db.dispose()
    return held


async def connected(settings: Settings, station_ids: list[str]) -> dict[str, bool]:
    db = Database(settings.database_url)
    try:
        async with db.reading() as uow:
            rows = await uow.session.execute(
                select(Station.id, Station.connected).where(Station.id.in_(station_ids))
            )
            return {station_id: flag for station_id, flag in rows.all()}
    finally:
        await db.dispose()


async def test_a_sweep_marks_only_dead_workers_stations(tenant: Tenant) -> None:
    hub = InMemoryHub()
    live, dead = f"node:{uuid.uuid4().hex[:6]}", f"node:{uuid.uuid4().hex[:6]}"
    sweeping = InMemoryBus(live, hub)
    other = InMemoryBus(dead, hub)
    await sweeping.start()
    await other.start()
    held = await stations_held_by(tenant, [live, dead, dead])
    db = Database(tenant.server.settings.database_url)
    sweeper = PresenceSweeper(db, sweeping, lambda: NOW, 1.0)
    try:
        assert await sweeper.sweep() == []  # everyone alive: nothing to do
        hub.expire(dead)
        swept = await sweeper.sweep()
        assert sorted(swept) == sorted(sid for sid, holder in held.items() if holder == dead)
        assert await sweeper.sweep() == []
    finally:
        await db.dispose()
    assert await connected(tenant.server.settings, list(held)) == {
        sid: holder == live for sid, holder in held.items()
    }


async def test_a_starting_worker_clears_its_own_id_and_not_its_peers(tenant: Tenant) -> None:
    """`ClusterNode.start`: a restarted worker id's stations are stale; another worker's on the
    same node are not (with Redis every worker id is node_id:pid)."""
    node = f"node-{uuid.uuid4().hex[:6]}"
    settings = tenant.server.settings.model_copy(update={"worker_id": f"{node}:1"})
    held = await stations_held_by(tenant, [f"{node}:1", f"{node}:2"])
    db = Database(settings.database_url)
    cluster = ClusterNode(settings, db, lambda: NOW)
    try:
        await cluster.start()
        await cluster.stop()
    finally:
        await db.dispose()
    assert await connected(settings, list(held)) == {
        sid: holder == f"{node}:2" for sid, holder in held.items()
    }
