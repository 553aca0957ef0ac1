"""What utilisation's charging share costs a KPI request, on a fresh SQLite database.

    .venv/bin/python benchmarks/utilisation.py [--stations 200] [--days 30] [--repeats 0]

Each station has two connectors running two OCPP 2.0.1 sessions a day each (an hour charging, an
hour full: four chargingState events and two statuses per session, and with `--repeats N` N
more metering events repeating `Charging`, as many stations send), connected throughout. Times
the organization's `/kpis/utilisation` over the whole period (`KpiService.uptime` with
`charging`: the statuses, the connectivity events, the maintenance windows and the sessions'
charging states), its `/kpis/uptime` (the same without the charging states) and the
charging-state read alone (`KpiRepository.charging_states`), from the histories alone; then
fills the daily rollup (`kpis/rollup_job.py`, timed) and times the same requests, and the
period per day and as a Berlin month, from the rollup, checking that each answer is the same.
"""

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update

from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.events.models import Event
from chargeyard.kpis.models import UtilisationDay
from chargeyard.kpis.repository import KpiRepository, Scope
from chargeyard.kpis.rollup_job import UtilisationRollup
from chargeyard.kpis.service import KpiService
from chargeyard.kpis.sessions import Interval
from chargeyard.organizations.service import ensure_organization
from chargeyard.stations.models import Station, StatusChange
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from chargeyard.transaction_events.models import TransactionEventRecord
from chargeyard.transactions.models import Transaction

START = datetime(2026, 1, 1, tzinfo=UTC)
ROUNDS = 5
HOUR = timedelta(hours=1)


async def build(db: Database, stations: int, days: int, repeats: int) -> tuple[str, int]:
    """The stations and their sessions; answers the organization and how many sessions."""
    async with db.writing() as uow:
        org = (await ensure_organization(uow.session, "bench")).id
        await uow.session.flush()
        for s in range(stations):
            station_id = f"CP{s:05d}"
            uow.session.add(
                Station(
                    id=station_id,
                    organization_id=org,
                    revision=1,
                    created_at=START - timedelta(days=1),
                )
            )
            uow.session.add(
                Event(
                    organization_id=org,
                    station_id=station_id,
                    type="station.connected",
                    occurred_at=START - HOUR,
                    data={},
                )
            )
        await uow.commit()
    tx_id, count = 0, 0
    for day in range(days):
        async with db.writing() as uow:
            later: list[object] = []  # after the sessions they name are flushed
            for s in range(stations):
                station_id = f"CP{s:05d}"
                for evse in (1, 2):
                    for begin_h in (8, 14):
                        tx_id += 1
                        begin = START + timedelta(days=day, hours=begin_h + evse)
                        end = begin + 2 * HOUR
                        uow.session.add(
                            Transaction(
                                id=tx_id,
                                organization_id=org,
                                station_id=station_id,
                                evse_id=evse,
                                connector_id=1,
                                auth_status="Accepted",
                                started_at=begin,
                                stopped_at=end,
                                meter_start_wh=0,
                                revision=1,
                            )
                        )
                        # A station that repeats the state in each metering event, too.
                        metering = [
                            (begin + timedelta(minutes=2 + m), "Charging") for m in range(repeats)
                        ]
                        for seq, (at, state) in enumerate(
                            (
                                (begin, "EVConnected"),
                                (begin + timedelta(minutes=1), "Charging"),
                                *metering,
                                (begin + HOUR, "SuspendedEV"),
                                (end, "EVConnected"),
                            )
                        ):
                            later.append(
                                TransactionEventRecord(
                                    organization_id=org,
                                    station_id=station_id,
                                    transaction_id=tx_id,
                                    seq_no=seq,
                                    event_type="Updated",
                                    trigger_reason="ChargingStateChanged",
                                    occurred_at=at,
                                    charging_state=state,
                                )
                            )
                        for at, status in ((begin, "Occupied"), (end, "Available")):
                            later.append(
                                StatusChange(
                                    organization_id=org,
                                    station_id=station_id,
                                    evse_id=evse,
                                    connector_id=1,
                                    status=status,
                                    ocpp_status=status,
                                    occurred_at=at,
                                )
                            )
                        count += 1
            await uow.session.flush()
            uow.session.add_all(later)
            await uow.commit()
    return org, count


async def timed(label: str, run: Callable[[], Awaitable[object]]) -> object:
    times, found = [], None
    for _ in range(ROUNDS):
        began = time.perf_counter()
        found = await run()
        times.append(time.perf_counter() - began)
    times.sort()
    print(f"{label}: median {times[ROUNDS // 2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")
    return found


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stations", type=int, default=200)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument(
        "--repeats", type=int, default=0, help="metering events repeating Charging per session"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        await upgrade_async(url)
        db = Database(url)
        org, sessions = await build(db, args.stations, args.days, args.repeats)
        async with db.writing() as uow:  # what the event sequencer does on a server
            await uow.session.execute(update(Event).values(position=Event.seq))
            await uow.commit()
        end = START + timedelta(days=args.days)
        scope = Scope(org)
        print(
            f"{args.stations} stations, {sessions} sessions over {args.days} days, "
            f"{4 + args.repeats} chargingState events each"
        )

        async def states() -> object:
            async with db.reading() as uow:
                return len(await KpiRepository(uow.session, scope).charging_states(START, end))

        async def measure(rollup: bool, charging: bool = True) -> object:
            async with db.reading() as uow:
                service = KpiService(uow.session, scope, lambda: now, rollup=rollup)
                return (await service.uptime(START, end, charging=charging)).tally

        async def per_day(rollup: bool, zone: str = "UTC") -> object:
            async with db.reading() as uow:
                service = KpiService(uow.session, scope, lambda: now, rollup=rollup)
                return await service.uptime_intervals(START, end, Interval.DAY, zone, charging=True)

        now = end + timedelta(hours=1)  # the last day is over and settled
        print("from the histories alone:")
        tally = await timed("utilisation of the organization", lambda: measure(False))
        await timed("uptime of the organization (no charging share)", lambda: measure(False, False))
        days = await timed("utilisation per UTC day", lambda: per_day(False))
        rows = await timed("charging states read alone", states)
        print(f"  {tally}; {rows} charging-state rows")
        job = UtilisationRollup(db, lambda: now, LeaseKeeper(db, "bench", 12.0), 1.0, args.days + 1)
        began = time.perf_counter()
        filled = 0
        while written := await job.run_once():
            filled += written
        async with db.reading() as uow:
            stored = await uow.session.scalar(select(func.count()).select_from(UtilisationDay))
        print(
            f"rollup filled: {filled} organization-days, {stored} rows, "
            f"{time.perf_counter() - began:.1f} s"
        )
        print("from the rollup:")
        rolled = await timed("utilisation of the organization", lambda: measure(True))
        await timed("uptime of the organization (no charging share)", lambda: measure(True, False))
        rolled_days = await timed("utilisation per UTC day", lambda: per_day(True))
        await timed(
            "utilisation per Berlin day (all edges)", lambda: per_day(True, "Europe/Berlin")
        )
        assert rolled == tally and rolled_days == days, "the rollup must answer the same"
        print("  the same answers")
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
