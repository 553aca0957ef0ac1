"""Row timestamps come from the clock of the database that writes them (`storage/stamps.py`),
on every write path: an ORM flush, `Tracked.touch`, a repository's Core UPDATE that bypasses the
ORM, the group commit's appended rows and guarded UPDATEs, and a server's REST requests."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import bindparam, select, update

import chargeyard.storage.tables  # noqa: F401  # registers every model's table
from chargeyard.organizations.models import Organization
from chargeyard.organizations.service import ensure_organization, issue_token
from chargeyard.settings import Settings
from chargeyard.stations.models import StatusChange
from chargeyard.storage.base import Base, UtcDateTime
from chargeyard.storage.database import Database
from chargeyard.storage.group_commit import GuardedWrite
from chargeyard.storage.migrate import upgrade_async
from chargeyard.storage.stamps import MissingClock, stamp
from chargeyard.tariffs.domain import Dimension, PriceComponent, TariffDefinition, TariffElement
from chargeyard.tariffs.models import Tariff
from chargeyard.tariffs.repository import TariffRepository
from chargeyard.tariffs.service import TariffDraft, TariffService
from tests.support.databases import fresh_database
from tests.support.http import http_client
from tests.support.server import free_port, in_process_server

T0 = datetime(2031, 3, 4, 5, 6, 7, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)
T2 = T0 + timedelta(days=2)
ENERGY = TariffDefinition(
    currency="EUR",
    elements=(TariffElement((PriceComponent(Dimension.ENERGY, Decimal("0.30")),)),),
)
ORGS = Organization.__table__


class SetClock:
    """A clock that says what the test sets, nothing like the wall clock's time."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def url(tmp_path: Path) -> AsyncIterator[str]:
    """A database of the test's own (the server test migrates and serves it alone), on the
    suite's database kind: the group commit's prepared path is SQLite's only."""
    async with fresh_database(tmp_path) as url:
        await upgrade_async(url)
        yield url


@pytest.fixture
def clock() -> SetClock:
    return SetClock(T0)


@pytest.fixture
async def db(url: str, clock: SetClock) -> AsyncIterator[Database]:
    database = Database(url, clock)
    try:
        yield database
    finally:
        await database.dispose()


async def stored(url: str, model: type, key: str) -> tuple[datetime, datetime, int]:
    """A Tracked row's times and revision as stored, read through another database."""
    reader = Database(url)
    try:
        async with reader.reading() as uow:
            row = await uow.session.get(model, key)
            assert row is not None
            return row.created_at, row.updated_at, row.revision
    finally:
        await reader.dispose()


def test_every_row_timestamp_default_is_the_writing_units_clock() -> None:
    """A datetime column whose value the database layer fills in takes it from `stamp`: a
    `default=utcnow` added to a model fails here."""
    stamped = 0
    for table in Base.metadata.tables.values():
        for column in table.columns:
            for default in (column.default, column.onupdate):
                if default is None or not getattr(default, "is_callable", False):
                    continue
                if isinstance(column.type, UtcDateTime):
                    assert default.arg is stamp, f"{table.name}.{column.name}"
                    stamped += 1
    assert stamped > 60  # created_at and updated_at of every Tracked table, and the others


async def test_a_service_stamps_new_and_changed_rows_from_the_clock(
    db: Database, url: str, clock: SetClock
) -> None:
    async with db.writing() as uow:
        organization = await ensure_organization(uow.session, "stamped")
        tariffs = TariffService(uow, organization.id, clock)
        tariff = await tariffs.create(TariffDraft("Basic", ENERGY))
        await uow.commit()
    assert (organization.created_at, organization.updated_at) == (T0, T0)
    assert await stored(url, Tariff, tariff.id) == (T0, T0, 1)

    clock.now = T1
    async with db.writing() as uow:
        tariffs = TariffService(uow, organization.id, clock)
        row = await tariffs.tariffs.locked(tariff.id)
        await tariffs.update(row, {"name": "Renamed"}, None)
        assert row.updated_at == T1  # `touch` stamps at once, before any flush
        await uow.commit()
    assert await stored(url, Tariff, tariff.id) == (T0, T1, 2)


async def test_a_core_update_that_bypasses_the_orm_stamps_from_the_clock(
    db: Database, url: str, clock: SetClock
) -> None:
    """`TariffRepository.clear_default` is one UPDATE over the organization's tariffs (no row
    loaded): the column's `onupdate` stamps the rows it changes."""
    async with db.writing() as uow:
        organization = await ensure_organization(uow.session, "bulk")
        tariffs = TariffService(uow, organization.id, clock)
        first = await tariffs.create(TariffDraft("First", ENERGY, is_default=True))
        await uow.commit()
    clock.now = T2
    async with db.writing() as uow:
        await TariffRepository(uow.session, organization.id).clear_default(keep="none")
        await uow.commit()
    assert await stored(url, Tariff, first.id) == (T0, T2, 1)  # an UPDATE, not an edit


async def test_the_group_commits_prepared_paths_stamp_from_the_clock(
    db: Database, url: str, clock: SetClock
) -> None:
    """An appended row's default (one multi-row INSERT at the batch's commit) and a guarded
    UPDATE's `onupdate` are run by `sqlite_statements.py`, not by SQLAlchemy."""
    async with db.batched() as uow:
        organization = Organization(name="batched", revision=1)
        uow.session.add(organization)
        await uow.commit()
    clock.now = T1
    async with db.deferred() as unit:
        unit.append(
            StatusChange(
                organization_id=organization.id,
                station_id="CP-1",
                status="Available",
                ocpp_status="Available",
                occurred_at=T0,
            )
        )
        unit.defer(
            GuardedWrite(
                update(ORGS)
                .where(ORGS.c.id == bindparam("key"))
                .values(revision=ORGS.c.revision + 1),
                {"key": organization.id},
                on_miss=lambda: None,
                row=("organizations", organization.id),
            )
        )
        await unit.commit()
    assert await stored(url, Organization, organization.id) == (T0, T1, 2)
    reader = Database(url)
    try:
        async with reader.reading() as read:
            received = await read.session.scalars(select(StatusChange.received_at))
            assert received.all() == [T1]
    finally:
        await reader.dispose()


async def test_a_row_touched_outside_a_session_has_no_clock_to_read() -> None:
    with pytest.raises(MissingClock):
        Organization(name="loose", revision=1).touch()


async def test_a_server_stamps_rows_from_the_clock_it_is_handed(url: str, clock: SetClock) -> None:
    """REST creates, edits and a change that clears another row in bulk, on a server whose
    clock is years from the wall clock's time."""
    db = Database(url, clock)
    try:
        async with db.writing() as uow:
            organization = await ensure_organization(uow.session, "served")
            issued = await issue_token(uow.session, organization.id, "admin", "test")
            await uow.commit()
    finally:
        await db.dispose()
    assert organization.created_at == T0
    settings = Settings(database_url=url, port=free_port(), node_id="stamps")
    tariff = {
        "name": "Public",
        "currency": "EUR",
        "is_default": True,
        "elements": [{"price_components": [{"type": "ENERGY", "price": "0.30"}]}],
    }
    async with (
        in_process_server(settings, clock) as server,
        http_client(
            base_url=f"{server.base_url}/api/v1",
            headers={"Authorization": f"Bearer {issued.secret}"},
            timeout=60,
        ) as api,
    ):
        created = await api.post("/tariffs", json=tariff)
        assert created.status_code == 201, created.text
        first = created.json()
        assert times(first) == (T0, T0)

        clock.now = T1
        changed = await api.patch(f"/tariffs/{first['id']}", json={"name": "Public AC"})
        assert changed.status_code == 200, changed.text
        assert times(changed.json()) == (T0, T1)

        clock.now = T2
        second = await api.post("/tariffs", json=tariff | {"name": "New default"})
        assert second.status_code == 201, second.text
        assert times(second.json()) == (T2, T2)
        cleared = (await api.get(f"/tariffs/{first['id']}")).json()
        assert cleared["is_default"] is False
        assert times(cleared) == (T0, T2)  # by `clear_default`'s UPDATE


def times(body: dict[str, str]) -> tuple[datetime, datetime]:
    return datetime.fromisoformat(body["created_at"]), datetime.fromisoformat(body["updated_at"])
