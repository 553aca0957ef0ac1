"""What utilisation's charging share costs a KPI request, on a fresh SQLite database.

    .venv/bin/python benchmarks/utilisation.py [--stations 200] [--days 30] [--repeats 0]

Each station has two connectors running two OCPP 2.0.1 sessions a day each (an hour charging, an
hour full: four chargingState events and two statuses per session, and with `--repeats N` N
more metering events repeating `Charging`, as many stations send), connected throughout. Times
the organization's `/kpis/utilisation` over the whole period (`KpiService.uptime` with
`charging`: the statuses, the connectivity events, the maintenance windows and the sessions'
charging states), its `/kpis/uptime` (the same without the charging states) and the
charging-state read alone (`KpiRepository.charging_states`).
"""

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from chargeyard.events.models import Event
from chargeyard.kpis.repository import KpiRepository, Scope
from chargeyard.kpis.service import KpiService
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
        end = START + timedelta(days=args.days)
        scope = Scope(org)
        print(
            f"{args.stations} stations, {sessions} sessions over {args.days} days, "
            f"{4 + args.repeats} chargingState events each"
        )

        async def utilisation() -> object:
            async with db.reading() as uow:
                service = KpiService(uow.session, scope, lambda: end)
                return (await service.uptime(START, end, charging=True)).tally

        async def uptime() -> object:
            async with db.reading() as uow:
                service = KpiService(uow.session, scope, lambda: end)
                return (await service.uptime(START, end)).tally

        async def states() -> object:
            async with db.reading() as uow:
                return len(await KpiRepository(uow.session, scope).charging_states(START, end))

        tally = await timed("utilisation of the organization", utilisation)
        await timed("uptime of the organization (no charging share)", uptime)
        rows = await timed("charging states read alone", states)
        print(f"  {tally}; {rows} charging-state rows")
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
