"""What the evaluator's sweep writes of the swept rules' watches, counted statement by statement
on a real SQLite database with an injected clock: nothing when nothing changed, one UPDATE for
every meter that moved, and the rule's semantics unchanged (a stall raises once, a move resolves
it and restarts the watch in place, an ended session forgets it)."""

import re
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, update

from chargeyard.alerts.evaluator import AlertEvaluator
from chargeyard.alerts.models import Alert, AlertRuleSetting, AlertWatch
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.organizations.service import ensure_organization
from chargeyard.stations.models import Connector, Evse, Station
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from chargeyard.transactions.models import Transaction

START = datetime(2026, 1, 8, tzinfo=UTC)
SESSIONS = 5
WATCH_WRITE = re.compile(r"\s*(INSERT INTO|UPDATE|DELETE FROM)\s+alert_watches\b", re.I)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'sweep.db'}"
    await upgrade_async(url)
    database = Database(url)
    async with database.writing() as uow:
        org = await ensure_organization(uow.session, "sweep")
        uow.session.add(
            AlertRuleSetting(organization_id=org.id, name="meter-stalled", threshold_s=60)
        )
        for n in range(SESSIONS):
            connector = Connector(
                connector_id=1, status="Occupied", ocpp_status="Charging", conflicts=[]
            )
            uow.session.add(
                Station(
                    id=f"S{n}",
                    organization_id=org.id,
                    connected=True,
                    connected_at=START - timedelta(days=1),
                    last_seen_at=START,
                    evses=[Evse(evse_id=1, connectors=[connector])],
                )
            )
            uow.session.add(
                Transaction(
                    organization_id=org.id,
                    station_id=f"S{n}",
                    evse_id=1,
                    connector_id=1,
                    auth_status="Accepted",
                    started_at=START - timedelta(minutes=5),
                    meter_start_wh=0,
                    last_meter_wh=1000,
                )
            )
        await uow.commit()
    try:
        yield database
    finally:
        await database.dispose()


@contextmanager
def watch_writes(db: Database) -> Iterator[list[str]]:
    """The statements that write `alert_watches` while the block runs (an executemany once)."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if WATCH_WRITE.match(statement):
            seen.append(statement.split(None, 1)[0].upper())

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def watches(db: Database) -> dict[int | None, tuple[datetime, str | None, str | None]]:
    async with db.reading() as uow:
        rows = (await uow.session.execute(select(AlertWatch))).scalars().all()
    return {row.transaction_id: (row.since, row.value, row.alert_id) for row in rows}


async def move_meters(db: Database, wh: int, *, only: int | None = None) -> None:
    async with db.writing() as uow:
        statement = update(Transaction).values(last_meter_wh=wh)
        if only is not None:
            statement = statement.where(Transaction.id == only)
        await uow.session.execute(statement)
        await uow.commit()


async def open_alerts(db: Database) -> list[Alert]:
    async with db.reading() as uow:
        statement = select(Alert).where(Alert.open_key.is_not(None))
        return list((await uow.session.execute(statement)).scalars().all())


async def test_a_sweep_writes_only_the_watches_that_changed(db: Database) -> None:
    clock = Clock()
    evaluator = AlertEvaluator(db, clock, LeaseKeeper(db, "test", 12.0), 0.5, 1.0)

    with watch_writes(db) as first:
        await evaluator.sweep()
    assert first == ["INSERT"]  # every new watch in one executemany
    stored = await watches(db)
    assert len(stored) == SESSIONS
    assert {value for _, value, _ in stored.values()} == {"1000"}

    clock.now += timedelta(seconds=1)
    with watch_writes(db) as quiet:
        await evaluator.sweep()
    assert quiet == []
    assert await watches(db) == stored

    # A busy sweep: every meter moved, nothing stalled: one UPDATE in place, no DELETE, no INSERT.
    for step in range(1, 4):
        await move_meters(db, 1000 + step * 100)
        clock.now += timedelta(seconds=1)
        with watch_writes(db) as busy:
            await evaluator.sweep()
        assert busy == ["UPDATE"]
        moved = await watches(db)
        assert moved.keys() == stored.keys()
        assert set(moved.values()) == {(clock.now, str(1000 + step * 100), None)}
    assert await open_alerts(db) == []


async def test_a_stall_raises_once_and_a_move_resolves_it_and_restarts_in_place(
    db: Database,
) -> None:
    clock = Clock()
    evaluator = AlertEvaluator(db, clock, LeaseKeeper(db, "test", 12.0), 0.5, 1.0)
    await evaluator.sweep()
    began = clock.now

    clock.now += timedelta(seconds=60)
    with watch_writes(db) as due:
        await evaluator.sweep()
    assert due == ["UPDATE"]  # the alert ids, stored in place
    raised = await open_alerts(db)
    assert len(raised) == SESSIONS
    assert {alert.started_at for alert in raised} == {began}
    assert {w[2] for w in (await watches(db)).values()} == {alert.id for alert in raised}

    # An alert resolved by hand is not raised again for the same watch (it keeps the alert id).
    by_hand = raised[-1].id
    async with db.writing() as uow:
        await uow.session.execute(
            update(Alert).where(Alert.id == by_hand).values(status="Resolved", open_key=None)
        )
        await uow.commit()
    clock.now += timedelta(seconds=1)
    with watch_writes(db) as after:
        await evaluator.sweep()
    assert after == []
    assert {a.id for a in await open_alerts(db)} == {a.id for a in raised[:-1]}

    # One meter moves: its alert is resolved, its watch restarts in place; the others stay.
    tx = raised[0].transaction_id
    assert tx is not None
    await move_meters(db, 1500, only=tx)
    clock.now += timedelta(seconds=1)
    with watch_writes(db) as moved:
        await evaluator.sweep()
    assert moved == ["UPDATE"]
    assert (await watches(db))[tx] == (clock.now, "1500", None)
    assert {a.id for a in await open_alerts(db)} == {a.id for a in raised[1:-1]}

    # A session that ends forgets its watch in one DELETE and resolves its alert.
    async with db.writing() as uow:
        ended = raised[1].transaction_id
        await uow.session.execute(
            update(Transaction).where(Transaction.id == ended).values(stopped_at=clock.now)
        )
        await uow.commit()
    clock.now += timedelta(seconds=1)
    with watch_writes(db) as gone:
        await evaluator.sweep()
    assert gone == ["DELETE"]
    assert ended not in await watches(db)
    assert {a.id for a in await open_alerts(db)} == {a.id for a in raised[2:-1]}
