"""What one sweep of the swept alert rules costs, on a fresh SQLite database (no server).

    .venv/bin/python benchmarks/swept_rules.py --stations 5000 --charging 2000 --offline 500 \
        --v201 1000 --events 20

`--stations` stations with one connector each, `--charging` of them with an open session on a
connector reporting Charging, `--offline` of the others disconnected a week ago. `--v201` of the
charging sessions are OCPP 2.0.1 ones instead: their connector reports Occupied and `--events`
transaction events each say the charging state (the last one Charging), which the meter-stalled
rule reads. Every charging session draws 3 kW under an 11 kW TxDefaultProfile its station
accepted, so each is also far below its limit (`power-below-limit`). Measures, with an injected
clock: the first sweep (every condition gets its watch; the offline ones raise their long-term
alerts), a quiet sweep (nothing changed: reads only), and a sweep after every charging
session's meter moved (each watch restarts), each as wall time and the process's CPU time (the
figure to compare on a loaded machine), with the statements that wrote `alert_watches`.
"""

import argparse
import asyncio
import re
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select, update

from chargeyard.alerts.evaluator import AlertEvaluator
from chargeyard.alerts.models import Alert, AlertWatch
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.load_management.models import ProfileInForceRow
from chargeyard.organizations.service import ensure_organization
from chargeyard.stations.models import Connector, Evse, Station
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from chargeyard.transaction_events.models import TransactionEventRecord
from chargeyard.transactions.models import Transaction

NOW = datetime(2026, 1, 8, tzinfo=UTC)


WATCH_WRITE = re.compile(r"\s*(INSERT INTO|UPDATE|DELETE FROM)\s+alert_watches\b", re.I)
STATES = ("EVConnected", "Charging", "SuspendedEV")


async def seed(
    db: Database, stations: int, charging: int, offline: int, v201: int, events: int
) -> None:
    async with db.writing() as uow:
        org = await ensure_organization(uow.session, "bench")
        for n in range(stations):
            is_charging = n < charging
            is_v201 = n < v201
            is_offline = charging <= n < charging + offline
            connector = Connector(
                connector_id=1,
                status="Occupied" if is_charging else "Available",
                ocpp_status=(
                    ("Occupied" if is_v201 else "Charging") if is_charging else "Available"
                ),
                conflicts=[],
            )
            uow.session.add(
                Station(
                    id=f"S{n:05d}",
                    organization_id=org.id,
                    connected=not is_offline,
                    connected_at=NOW - timedelta(days=7),
                    disconnected_at=NOW - timedelta(days=7) if is_offline else None,
                    last_seen_at=NOW,
                    evses=[Evse(evse_id=1, connectors=[connector])],
                )
            )
            if is_charging:
                tx = Transaction(
                    organization_id=org.id,
                    station_id=f"S{n:05d}",
                    evse_id=1,
                    connector_id=1,
                    auth_status="Accepted",
                    started_at=NOW - timedelta(hours=1),
                    meter_start_wh=0,
                    last_meter_wh=1000,
                    last_power_w=3000.0,
                )
                uow.session.add(tx)
                uow.session.add(
                    ProfileInForceRow(
                        organization_id=org.id,
                        station_id=f"S{n:05d}",
                        evse_id=1,
                        purpose="TxDefaultProfile",
                        first_kw=11.0,
                        since=NOW - timedelta(hours=2),
                    )
                )
                if is_v201:
                    await uow.session.flush()
                    for seq in range(events):
                        last = seq == events - 1
                        uow.session.add(
                            TransactionEventRecord(
                                organization_id=org.id,
                                station_id=f"S{n:05d}",
                                transaction_id=tx.id,
                                seq_no=seq,
                                event_type="Updated",
                                trigger_reason="MeterValuePeriodic",
                                occurred_at=NOW - timedelta(minutes=60 - seq),
                                charging_state="Charging" if last else STATES[seq % 3],
                            )
                        )
        await uow.commit()


@dataclass
class Sweep:
    wall_s: float
    cpu_s: float
    watch_writes: int
    """Statements (an executemany counts once) that wrote `alert_watches`."""

    def __str__(self) -> str:
        return (
            f"{self.wall_s * 1000:.0f} ms wall, {self.cpu_s * 1000:.0f} ms CPU, "
            f"{self.watch_writes} watch write statements"
        )


async def timed(db: Database, evaluator: AlertEvaluator) -> Sweep:
    writes = 0

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        nonlocal writes
        writes += bool(WATCH_WRITE.match(statement))

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        await evaluator.sweep()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return Sweep(time.perf_counter() - started, time.process_time() - cpu, writes)


async def main(stations: int, charging: int, offline: int, v201: int, events: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await upgrade_async(url)
        db = Database(url)
        await seed(db, stations, charging, offline, min(v201, charging), events)
        evaluator = AlertEvaluator(db, lambda: NOW, LeaseKeeper(db, "bench", 12.0), 0.5, 1.0)
        first = await timed(db, evaluator)
        quiet = await timed(db, evaluator)
        async with db.writing() as uow:
            await uow.session.execute(update(Transaction).values(last_meter_wh=2000))
            await uow.commit()
        moved = await timed(db, evaluator)
        async with db.reading() as uow:
            watches = await uow.session.scalar(select(func.count()).select_from(AlertWatch))
            alerts = await uow.session.scalar(select(func.count()).select_from(Alert))
        print(
            f"{stations} stations, {charging} charging ({min(v201, charging)} over 2.0.1, "
            f"{events} events each), {offline} offline: {watches} watches, "
            f"{alerts} alerts\n  first sweep: {first}\n  quiet sweep: {quiet}\n"
            f"  sweep after every meter moved: {moved}"
        )
        await db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=5000)
    parser.add_argument("--charging", type=int, default=2000)
    parser.add_argument("--offline", type=int, default=500)
    parser.add_argument("--v201", type=int, default=0)
    parser.add_argument("--events", type=int, default=20)
    arguments = parser.parse_args()
    asyncio.run(
        main(
            arguments.stations,
            arguments.charging,
            arguments.offline,
            arguments.v201,
            arguments.events,
        )
    )
