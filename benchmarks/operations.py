"""Alert evaluation and CSV / XLSX export throughput, on a fresh SQLite database (no server).

    .venv/bin/python benchmarks/operations.py --events 50000 --transactions 100000

- **Alerts**: `--events` `connector.status_changed` events for 500 stations (every tenth round
  all of them Faulted, the next round Available again), sequenced as the core would; then the evaluator's `follow()` judges
  them all. Prints events judged per second and the alerts raised and resolved.
- **CSV**: `--transactions` stopped transactions; then the transactions report is streamed
  page by page. Prints rows per second and the peak Python memory the export allocated
  (tracemalloc), which stays flat as the row count grows.
- **XLSX**: the same report written as a workbook (XlsxWriter in constant-memory mode, to a
  temporary file, as a download or an asynchronous report does). Prints rows per second, the
  file's size and the peak Python memory the export allocated; and the process's peak RSS at
  the end (which includes seeding the data).

tracemalloc slows allocation-heavy code several times over (XlsxWriter most): `--untraced` runs
both exports without it, for their real throughput (peak memory is then not printed).
"""

import argparse
import asyncio
import resource
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from chargeyard.alerts.evaluator import AlertEvaluator
from chargeyard.alerts.models import Alert
from chargeyard.clock import utcnow
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.events import repository as events
from chargeyard.events.models import Event
from chargeyard.organizations.service import ensure_organization
from chargeyard.reports.service import stream, transactions, write_xlsx
from chargeyard.stations.models import Station
from chargeyard.storage.base import new_id
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from chargeyard.transactions.models import Transaction
from chargeyard.transactions.repository import TransactionFilter

STATIONS = 500
T0 = datetime(2026, 1, 1, tzinfo=UTC)


async def seed(db: Database, events_n: int, transactions_n: int) -> str:
    async with db.writing() as uow:
        org = await ensure_organization(uow.session, "bench")
        ids = [f"B{n:04d}" for n in range(STATIONS)]
        uow.session.add_all(Station(id=i, organization_id=org.id, evses=[]) for i in ids)
        await uow.commit()
    rows = []
    for n in range(events_n):
        status = "Faulted" if (n // STATIONS) % 10 == 0 else "Available"  # every 10th round
        rows.append(
            {
                "id": new_id(),
                "organization_id": org.id,
                "type": "connector.status_changed",
                "occurred_at": T0 + timedelta(seconds=n),
                "station_id": ids[n % STATIONS],
                "data": {"evse_id": 1, "connector_id": 1, "status": status},
            }
        )
    txs = [
        {
            "organization_id": org.id,
            "station_id": ids[n % STATIONS],
            "evse_id": 1,
            "connector_id": 1,
            "id_tag": f"TAG{n}",
            "auth_status": "Accepted",
            "started_at": T0 + timedelta(minutes=n),
            "stopped_at": T0 + timedelta(minutes=n + 30),
            "meter_start_wh": 0,
            "meter_stop_wh": 7000,
            "energy_wh": 7000,
        }
        for n in range(transactions_n)
    ]
    async with db.writing() as uow:
        for start in range(0, len(rows), 5000):
            await uow.session.execute(insert(Event), rows[start : start + 5000])
        for start in range(0, len(txs), 5000):
            await uow.session.execute(insert(Transaction), txs[start : start + 5000])
        await uow.commit()
    async with db.writing() as uow:
        while await events.sequence(uow.session, 10_000):
            pass
        await uow.commit()
    return org.id


def trace(on: bool) -> None:
    if on:
        tracemalloc.start()


def traced_peak(on: bool) -> str:
    if not on:
        return "untraced"
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return f"peak allocated {peak / 1e6:.1f} MB"


async def main(events_n: int, transactions_n: int, traced: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await upgrade_async(url)
        db = Database(url)
        organization_id = await seed(db, events_n, transactions_n)
        leases = LeaseKeeper(db, "bench", 12.0)
        evaluator = AlertEvaluator(db, utcnow, leases, 0.5, 1.0)
        started = time.perf_counter()
        judged = await evaluator.follow()
        took = time.perf_counter() - started
        async with db.reading() as uow:
            alerts = await uow.session.scalar(select(func.count()).select_from(Alert))
        print(
            f"alerts: judged {judged} events in {took:.2f} s ({judged / took:,.0f}/s), "
            f"{alerts} alerts raised and resolved"
        )

        trace(traced)
        started, size, rows = time.perf_counter(), 0, -1
        report = transactions(organization_id, TransactionFilter())
        async for chunk in stream(db, report):
            size += len(chunk)
            rows += chunk.count("\r\n")
        took = time.perf_counter() - started
        print(
            f"csv: {rows} rows ({size / 1e6:.1f} MB) in {took:.2f} s ({rows / took:,.0f} rows/s), "
            f"{traced_peak(traced)}"
        )

        book = Path(tmp) / "report.xlsx"
        trace(traced)
        started = time.perf_counter()
        rows = await write_xlsx(db, transactions(organization_id, TransactionFilter()), book)
        took = time.perf_counter() - started
        print(
            f"xlsx: {rows} rows ({book.stat().st_size / 1e6:.1f} MB) in {took:.2f} s "
            f"({rows / took:,.0f} rows/s), {traced_peak(traced)}"
        )
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
        print(f"process peak RSS {rss:.0f} MB (seeding included)")
        await db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--untraced", action="store_true", help="no tracemalloc: real speed")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.transactions, not arguments.untraced))
