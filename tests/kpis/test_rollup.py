"""The daily rollup answers what the histories answer, to the microsecond: over UTC days and
local calendars (DST in Berlin, Newfoundland's half hour, Nepal's 45 minutes), odd edges, the
day still running, a connector that first reports late in the period, a station judged as one
unit, a maintenance window, a session open across midnight; and after late data lands (a
status queued while offline, a late chargingState, a maintenance window added), both before
the job has judged it and after.

The histories are written as the core writes them (rows and their events) into a real SQLite
database; the job runs its passes by hand on an injected clock."""

import random
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.events.models import Event
from chargeyard.kpis.models import UtilisationDay
from chargeyard.kpis.repository import Scope
from chargeyard.kpis.rollup_job import UtilisationRollup
from chargeyard.kpis.service import KpiService
from chargeyard.kpis.sessions import Interval
from chargeyard.maintenance_windows.models import MaintenanceWindow
from chargeyard.organizations.service import ensure_organization
from chargeyard.stations.models import Evse, Station, StatusChange
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from chargeyard.transaction_events.models import TransactionEventRecord
from chargeyard.transactions.models import Transaction

T0 = datetime(2026, 3, 20, tzinfo=UTC)
NOW = datetime(2026, 4, 3, 13, 0, 0, 250_000, tzinfo=UTC)
HOUR = timedelta(hours=1)
STATUSES = ["Available", "Occupied", "Occupied", "Faulted", "Unavailable", "Reserved"]


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


class Writer:
    def __init__(self, db: Database, org: str) -> None:
        self.db, self.org = db, org
        self.tx_id = 0

    async def add(self, *rows: Any) -> None:
        async with self.db.writing() as uow:
            uow.session.add_all(rows)
            await uow.commit()

    def event(self, type: str, station: str, when: datetime, **data: Any) -> Event:
        return Event(
            organization_id=self.org, station_id=station, type=type, occurred_at=when, data=data
        )

    def status(
        self, station: str, evse: int | None, status: str, when: datetime, ocpp: str | None = None
    ) -> list[Any]:
        row = StatusChange(
            organization_id=self.org,
            station_id=station,
            evse_id=evse,
            connector_id=None if evse is None else 1,
            status=status,
            ocpp_status=ocpp or status,
            occurred_at=when,
        )
        return [
            row,
            self.event("connector.status_changed", station, when, timestamp=when.isoformat()),
        ]

    async def session(
        self,
        station: str,
        evse: int,
        begin: datetime,
        end: datetime | None,
        states: list[tuple[datetime, str]],
    ) -> None:
        self.tx_id += 1
        tx = Transaction(
            id=self.tx_id,
            organization_id=self.org,
            station_id=station,
            evse_id=evse,
            connector_id=1,
            auth_status="Accepted",
            started_at=begin,
            stopped_at=end,
            meter_start_wh=0,
            revision=1,
        )
        await self.add(tx, self.event("session.started", station, begin))
        records = [
            TransactionEventRecord(
                organization_id=self.org,
                station_id=station,
                transaction_id=self.tx_id,
                seq_no=seq,
                event_type="Updated",
                trigger_reason="ChargingStateChanged",
                occurred_at=when,
                charging_state=state,
            )
            for seq, (when, state) in enumerate(states)
        ]
        ended = [] if end is None else [self.event("session.stopped", station, end)]
        await self.add(*records, *ended)


async def build(db: Database) -> Writer:
    async with db.writing() as uow:
        org = (await ensure_organization(uow.session, "rollup")).id
        await uow.commit()
    w = Writer(db, org)
    await w.add(
        Station(id="S16", organization_id=org, revision=1, created_at=T0 - HOUR),
        Station(id="S2X", organization_id=org, revision=1, created_at=T0 - HOUR),
        Station(id="SUNIT", organization_id=org, revision=1, created_at=at(3 * 24 + 10.5)),
    )
    await w.add(Evse(station_id="S16", evse_id=1), Evse(station_id="S16", evse_id=2))
    rng = random.Random(13)
    rows: list[Any] = [w.event("station.connected", s, T0 - HOUR) for s in ("S16", "S2X")]
    # S16: a 1.6 station, two connectors whose statuses say when they charge; offline across
    # a midnight; a maintenance window.
    hour = 0.0
    while hour < 15 * 24:
        hour += rng.uniform(0.3, 9)
        evse = rng.choice([1, 2])
        status = rng.choice(STATUSES)
        ocpp = rng.choice(["Charging", "SuspendedEV"]) if status == "Occupied" else None
        rows += w.status(
            "S16", evse, status, at(hour) + timedelta(microseconds=rng.randint(0, 999_999)), ocpp
        )
    rows += [
        w.event("station.disconnected", "S16", at(5 * 24 - 1.25)),
        w.event("station.connected", "S16", at(5 * 24 + 2)),
        MaintenanceWindow(
            organization_id=org,
            station_id="S16",
            starts_at=at(6 * 24 + 10),
            ends_at=at(6 * 24 + 14),
            revision=1,
        ),
    ]
    # S2X: a 2.x station, connector 1 from the start, connector 2 first reporting on day 10.
    rows += w.status("S2X", 1, "Available", at(0.5))
    rows += w.status("S2X", None, "Available", at(0.25))
    rows += w.status("S2X", 2, "Available", at(10 * 24 + 7))
    # SUNIT: never a connector: judged as one unit by its own status.
    rows += w.status("SUNIT", None, "Available", at(3 * 24 + 11))
    rows += w.status("SUNIT", None, "Faulted", at(8 * 24 + 23.5))
    rows += w.status("SUNIT", None, "Available", at(9 * 24 + 1))
    await w.add(*rows)
    for day in range(14):
        begin = at(day * 24 + 22)  # across midnight
        end = begin + 4 * HOUR if day < 13 else None  # the last one still open
        await w.add(*w.status("S2X", 1, "Occupied", begin))
        states = [
            (begin, "EVConnected"),
            (begin + HOUR, "Charging"),
            (begin + 2.5 * HOUR, "SuspendedEV"),
        ]
        await w.session("S2X", 1, begin, end, states)
        if end is not None:
            await w.add(*w.status("S2X", 1, "Available", end))
    return w


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'rollup.db'}"
    await upgrade_async(url)
    database = Database(url)
    yield database
    await database.dispose()


def periods() -> list[tuple[datetime, datetime]]:
    return [
        (T0, NOW),
        (T0 - 2 * HOUR, NOW + 30 * 24 * HOUR),
        (at(2 * 24 + 7.2) + timedelta(microseconds=250_001), at(11 * 24 + 23.99)),
        (at(24), at(5 * 24)),  # whole UTC days only
        (at(13 * 24 + 1), NOW),  # within the day still running
    ]


CALENDARS = [
    ("day", "Europe/Berlin"),  # DST begins on 29 March
    ("week", "America/St_Johns"),
    ("day", "Asia/Kathmandu"),
    ("day", "UTC"),
    ("month", "Europe/Berlin"),
]


async def answers(db: Database, org: str, scope: dict[str, Any], rollup: bool) -> list[Any]:
    found: list[Any] = []
    async with db.reading() as uow:
        service = KpiService(uow.session, Scope(org, **scope), lambda: NOW, rollup=rollup)
        for start, end in periods():
            found.append(await service.uptime(start, end, charging=True))
            found.append(await service.uptime(start, end))
        for interval, zone in CALENDARS:
            found.append(
                await service.uptime_intervals(T0, NOW, Interval(interval), zone, charging=True)
            )
    return found


SCOPES = [{}, {"station_id": "S2X"}, {"station_id": "S16", "evse_id": 2}, {"station_id": "SUNIT"}]


async def same_answers(db: Database, org: str) -> None:
    for scope in SCOPES:
        assert await answers(db, org, scope, True) == await answers(db, org, scope, False), scope


async def sequence(db: Database) -> None:
    """What the event sequencer does: give the committed events their positions."""
    async with db.writing() as uow:
        await uow.session.execute(
            update(Event).where(Event.position.is_(None)).values(position=Event.seq)
        )
        await uow.commit()


async def rolled_days(db: Database) -> set[tuple[str, date]]:
    async with db.reading() as uow:
        rows = await uow.session.execute(select(UtilisationDay.station_id, UtilisationDay.day))
        return {(row[0], row[1]) for row in rows}


async def test_the_rollup_answers_what_the_histories_answer(db: Database) -> None:
    w = await build(db)
    await sequence(db)
    job = UtilisationRollup(db, lambda: NOW, LeaseKeeper(db, "w1", 12.0), 1.0, 30)
    while await job.run_once():
        pass
    days = await rolled_days(db)
    # Every day over (and settled) since registration, none still running.
    assert {d for s, d in days if s == "S16"} == {
        date(2026, 3, 19) + timedelta(days=n) for n in range(15)
    }
    assert min(d for s, d in days if s == "SUNIT") == date(2026, 3, 23)
    assert date(2026, 4, 3) not in {d for _, d in days}
    await same_answers(db, w.org)

    # Late data, not yet judged by the job (and not yet sequenced): a status queued while
    # offline, a late chargingState, a maintenance window added over past days.
    late = at(4 * 24 + 3)
    await w.add(*w.status("S16", 1, "Faulted", late))
    await w.add(
        TransactionEventRecord(
            organization_id=w.org,
            station_id="S2X",
            transaction_id=3,
            seq_no=3,  # after the SuspendedEV at 00:30, sent late
            event_type="Updated",
            trigger_reason="ChargingStateChanged",
            occurred_at=at(3 * 24 + 1.25),
            charging_state="Charging",
        ),
        w.event("transaction_event.late", "S2X", at(3 * 24 + 1.25)),
    )
    await same_answers(db, w.org)
    window = MaintenanceWindow(
        organization_id=w.org, station_id="S2X", starts_at=at(30), ends_at=at(40), revision=1
    )
    await w.add(window, w.event("maintenance_window.created", "S2X", NOW))
    await same_answers(db, w.org)
    await sequence(db)
    await same_answers(db, w.org)  # sequenced, still not judged

    # The job judges them: it forgets the days they alter, and fills them again.
    await job.follow()
    assert not {d for s, d in await rolled_days(db) if s == "S2X"}  # the window: every day
    assert all(d < late.date() for s, d in await rolled_days(db) if s == "S16")
    await same_answers(db, w.org)
    while await job.run_once():
        pass
    assert len(await rolled_days(db)) == len(days)
    await same_answers(db, w.org)


async def test_a_month_reads_the_days_rows_not_the_history(db: Database) -> None:
    """Over whole UTC days the statuses are not read at all: the rows answer (checked by taking
    the statuses away after the job ran: the answer is unchanged)."""
    w = await build(db)
    await sequence(db)
    job = UtilisationRollup(db, lambda: NOW, LeaseKeeper(db, "w1", 12.0), 1.0, 30)
    while await job.run_once():
        pass
    start, end = at(24), at(12 * 24)
    async with db.reading() as uow:
        before = await KpiService(uow.session, Scope(w.org), lambda: NOW).uptime(
            start, end, charging=True
        )
    async with db.writing() as uow:
        count = await uow.session.scalar(select(func.count()).select_from(StatusChange))
        assert count
        await uow.session.execute(update(StatusChange).values(status="Faulted"))
        await uow.commit()
    async with db.reading() as uow:
        after = await KpiService(uow.session, Scope(w.org), lambda: NOW).uptime(
            start, end, charging=True
        )
        live = await KpiService(uow.session, Scope(w.org), lambda: NOW, rollup=False).uptime(
            start, end, charging=True
        )
    assert after == before
    assert live != before  # the history did change: only the rows answered
