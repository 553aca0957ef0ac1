"""The start path's SQL: a new transaction inserted without the ORM's flush, the lookups a
start makes answered by their indexes (migration 0029, and 0012's lowered tag), whatever the
organization's history."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select

from chargeyard.id_tags.models import IdTag
from chargeyard.id_tags.repository import IdTagRepository
from chargeyard.organizations.service import ensure_organization
from chargeyard.stations.models import Station
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from chargeyard.transactions.models import Transaction
from chargeyard.transactions.repository import TransactionRepository
from tests.support.query_plans import query_plans, selects_from

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def clock() -> datetime:
    return T0 + timedelta(hours=1)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'repository.db'}"
    await upgrade_async(url)
    database = Database(url, clock)
    yield database
    await database.dispose()


async def organization(db: Database, stations: int = 2) -> str:
    async with db.writing() as uow:
        org = await ensure_organization(uow.session, "repository")
        for index in range(stations):
            uow.session.add(Station(id=f"RS{index}", organization_id=org.id))
        uow.session.add(IdTag(organization_id=org.id, value="TAG1", status="Accepted"))
        await uow.commit()
    return org.id


def new(organization_id: str, station_id: str, started_at: datetime, **more: Any) -> Transaction:
    columns: dict[str, Any] = {
        "evse_id": 1,
        "connector_id": 1,
        "id_tag": "TAG1",
        "auth_status": "Accepted",
        "meter_start_wh": 100,
        "last_meter_wh": 100,
        "revision": 1,
    }
    return Transaction(
        organization_id=organization_id,
        station_id=station_id,
        started_at=started_at,
        **(columns | more),
    )


def statements(db: Database) -> list[str]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        verb = sql.split()[0].upper()
        if verb in {"SELECT", "INSERT", "UPDATE", "DELETE"}:
            seen.append(verb)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    return seen


async def test_a_new_transaction_is_inserted_and_held_by_the_session_as_stored(
    db: Database,
) -> None:
    organization_id = await organization(db)
    seen = statements(db)
    async with db.batched() as uow:
        repository = TransactionRepository(uow.session, organization_id)
        tx = new(organization_id, "RS0", T0)
        await repository.insert_new(tx)
        assert seen == ["INSERT"]  # one statement: no flush of the ORM's own
        # Every column is loaded (no lazy load, which would fail under asyncio), the defaults
        # and row timestamps as inserted, from the database's clock.
        assert tx.id > 0 and tx.stopped_at is None and tx.tariff_id is None
        assert tx.force_stopped is False and tx.cost_final is False
        assert tx.created_at == tx.updated_at == clock()
        assert tx in uow.session and not uow.session.dirty and not uow.session.new
        # A later change in the unit is flushed as an UPDATE of the stored row.
        tx.stop_reason = "Local"
        await uow.commit()
    assert seen == ["INSERT", "UPDATE"]
    async with db.reading() as uow:
        stored = (await uow.session.scalars(select(Transaction))).one()
    assert (stored.id, stored.stop_reason, stored.meter_start_wh) == (tx.id, "Local", 100)
    assert (stored.created_at, stored.revision, stored.organization_id) == (
        clock(),
        1,
        organization_id,
    )


async def test_a_start_finds_the_evses_open_sessions_and_the_stations_same_start(
    db: Database,
) -> None:
    organization_id = await organization(db)
    async with db.writing() as uow:
        closed = new(organization_id, "RS0", T0, stopped_at=T0 + timedelta(minutes=5))
        open_one = new(organization_id, "RS0", T0 + timedelta(minutes=10))
        elsewhere = new(organization_id, "RS1", T0 + timedelta(minutes=20))
        uow.session.add_all([closed, open_one, elsewhere])
        await uow.commit()
    async with db.reading() as uow:
        repository = TransactionRepository(uow.session, organization_id)
        found = await repository.open_or_started("RS0", 1, T0)
        assert [tx.id for tx in found] == [closed.id, open_one.id]
        assert [tx.id for tx in await repository.open_or_started("RS0", 2, T0)] == []
        later = T0 + timedelta(minutes=20)
        assert [tx.id for tx in await repository.open_or_started("RS0", 1, later)] == [open_one.id]
        assert [tx.id for tx in await repository.open_or_started("RS1", 1, later)] == [elsewhere.id]
        # Another organization's repository sees none of them.
        assert await TransactionRepository(uow.session, "other").open_or_started("RS0", 1, T0) == []


async def test_start_lookups_use_their_indexes_not_the_organizations(
    db: Database, tmp_path: Path
) -> None:
    """With an OR, SQLite read every transaction of the organization at each start; compared
    with the tag row's column, the open-tag index served only its organization part."""
    organization_id = await organization(db)
    with selects_from(db.engine, "transactions") as run:
        async with db.batched() as uow:
            await TransactionRepository(uow.session, organization_id).open_or_started("RS0", 1, T0)
            await IdTagRepository(uow.session, organization_id).presented("tag1", in_use=True)
            await uow.commit()
    assert len(run) == 2
    plans = query_plans(tmp_path / "repository.db", run)
    assert any("ix_transactions_open_evse (station_id=? AND evse_id=?)" in p for p in plans), plans
    assert any("ix_transactions_station_start (station_id=? AND started_at=?)" in p for p in plans)
    # The tag's open sessions: through the open-tag index, or the tag's stays (migration 0030,
    # lowered tag, organization, end: `stopped_at IS NULL` is a seek there too).
    assert any(
        "ix_transactions_open_tag (organization_id=? AND <expr>=?)" in p
        or "ix_transactions_tag_stays (<expr>=? AND organization_id=? AND stopped_at=?)" in p
        for p in plans
    ), plans
    assert not any("ix_transactions_organization_id" in plan for plan in plans), plans
