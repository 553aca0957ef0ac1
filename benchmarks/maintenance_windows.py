"""What finding the stations in a maintenance window costs the alert sweep, now that a
location's window covers its whole subtree (a recursive CTE), on a fresh SQLite database.

    .venv/bin/python benchmarks/maintenance_windows.py

A site tree of 20 regions, 10 sites each and 5 car parks per site (1,220 locations), 5 stations
per car park (5,000), and 22 location windows in force (two regions, and the first site of
every other region): 950 stations are in maintenance. Times `in_maintenance` (what each sweep
with offline stations calls) with the schema's index on `locations.parent_id` (migration 0022),
then again with it dropped, to show what the recursion's join costs without it.
"""

import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from chargeyard.locations.models import Location
from chargeyard.maintenance_windows.models import MaintenanceWindow
from chargeyard.maintenance_windows.repository import in_maintenance
from chargeyard.organizations.service import ensure_organization
from chargeyard.stations.models import Station
from chargeyard.storage.base import new_id
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async

NOW = datetime(2026, 1, 8, tzinfo=UTC)
ROUNDS = 21


def window(organization_id: str, location_id: str) -> MaintenanceWindow:
    return MaintenanceWindow(
        id=new_id(),
        organization_id=organization_id,
        location_id=location_id,
        starts_at=NOW - timedelta(hours=1),
        ends_at=NOW + timedelta(hours=1),
        revision=1,
    )


def place(organization_id: str, name: str, parent_id: str | None) -> Location:
    return Location(
        id=new_id(), organization_id=organization_id, name=name, parent_id=parent_id, revision=1
    )


async def build(db: Database) -> int:
    """The tree, its stations and windows; answers how many stations."""
    async with db.writing() as uow:
        org = (await ensure_organization(uow.session, "bench")).id
        await uow.session.flush()
        parks = []
        for r in range(20):
            region = place(org, f"region {r}", None)
            uow.session.add(region)
            if r < 2:
                uow.session.add(window(org, region.id))
            for s in range(10):
                site = place(org, f"site {r}.{s}", region.id)
                uow.session.add(site)
                if s == 0 and r >= 2:
                    uow.session.add(window(org, site.id))
                for p in range(5):
                    park = place(org, f"car park {r}.{s}.{p}", site.id)
                    uow.session.add(park)
                    parks.append(park.id)
        await uow.session.flush()
        count = 0
        for park_id in parks:
            for _ in range(5):
                station = Station(
                    id=f"CP{count:05d}", organization_id=org, location_id=park_id, revision=1
                )
                uow.session.add(station)
                count += 1
        await uow.commit()
    return count


async def measure(db: Database, label: str, stations: int) -> None:
    times = []
    for _ in range(ROUNDS):
        async with db.reading() as uow:
            began = time.perf_counter()
            found = await in_maintenance(uow.session, NOW)
            times.append(time.perf_counter() - began)
    times.sort()
    print(
        f"{label}: {stations} stations, {len(found)} in maintenance; "
        f"median {times[ROUNDS // 2] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms"
    )


async def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        await upgrade_async(url)
        db = Database(url)
        stations = await build(db)
        await measure(db, "in_maintenance, with ix_locations_parent_id", stations)
        async with db.writing() as uow:
            await uow.session.execute(text("DROP INDEX ix_locations_parent_id"))
            await uow.commit()
        await measure(db, "without an index on locations.parent_id", stations)
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
