"""The prepared SQLite path writes exactly what SQLAlchemy's own execution writes.

Each case runs the same statement both ways on two rows of one real SQLite database (through
`Database.batched`, whose connection is the one-hop driver) and compares the stored rows, so a
converter, a default or an `onupdate` the prepared path got wrong shows as a difference.
"""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from hypothesis import strategies as st
from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import sqlite

from chargeyard.events.models import Event
from chargeyard.organizations.models import Organization
from chargeyard.storage.base import UtcDateTime
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from chargeyard.storage.sqlite_driver import inline_statements
from chargeyard.storage.sqlite_statements import (
    bind_converter,
    defaults_context,
    driver_of,
    insert_rows,
    run_update,
    utc_text,
)

ORGS = Organization.__table__
EVENTS = Event.__table__


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'prepared.db'}"
    await upgrade_async(url)
    database = Database(url)
    try:
        yield database
    finally:
        await database.dispose()


def _event(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"e{n}",
        "organization_id": "org",
        "type": "station.status_changed",
        "occurred_at": datetime(2026, 12, 6, 12, 0, n, 123456, tzinfo=UTC),
        "station_id": "CP-é-🔌" if n % 2 else None,
        "transaction_id": 2**62 if n % 3 == 0 else None,
        "data": {"n": n, "text": "ünï 🔋", "nested": [1, {"a": None}]},
    } | extra


async def _rows(db: Database, statement: Any) -> list[dict[str, Any]]:
    async with db.reading() as uow:
        return [dict(row._mapping) for row in (await uow.session.execute(statement)).all()]


async def test_bulk_rows_match_sqlalchemys_insert(db: Database) -> None:
    prepared, plain = [_event(n) for n in range(1, 7)], [_event(n) for n in range(11, 17)]
    keys = tuple(prepared[0])
    async with db.batched() as uow:
        connection = await uow.session.connection()
        driver = await driver_of(connection)
        assert driver is not None
        assert await insert_rows(
            driver, connection.dialect, EVENTS, keys, prepared, defaults_context(connection)
        )
        await connection.execute(EVENTS.insert(), plain)
        await uow.commit()
    stored = await _rows(db, select(EVENTS).order_by(EVENTS.c.seq))
    assert [row["id"] for row in stored] == [e["id"] for e in prepared + plain]
    for row, given in zip(stored, prepared + plain, strict=True):
        assert {k: row[k] for k in given} == given
        assert row["fanned_out"] is False and row["position"] is None  # the column default


async def test_an_update_matches_sqlalchemys_with_fixed_values_and_onupdate(db: Database) -> None:
    async with db.batched() as uow:
        uow.session.add_all(
            [Organization(name="a", revision=1), Organization(name="b", revision=1)]
        )
        await uow.commit()
    statement = (
        update(ORGS)
        .where(ORGS.c.name == bindparam("n"), ORGS.c.revision == bindparam("r"))
        .values(revision=ORGS.c.revision + 1, permissions_required=True)
    )
    async with db.batched() as uow:
        connection = await uow.session.connection()
        driver = await driver_of(connection)
        assert driver is not None
        context = defaults_context(connection)
        with inline_statements():
            assert (
                run_update(driver, connection.dialect, statement, {"n": "a", "r": 1}, context) == 1
            )
            assert (
                run_update(driver, connection.dialect, statement, {"n": "a", "r": 1}, context) == 0
            )
        await connection.execute(statement, {"n": "b", "r": 1})
        await uow.commit()
    a, b = await _rows(db, select(ORGS).order_by(ORGS.c.name))
    assert (a["revision"], a["permissions_required"]) == (b["revision"], b["permissions_required"])
    assert a["revision"] == 2 and a["permissions_required"] is True
    assert a["updated_at"] > a["created_at"]  # the onupdate default ran
    assert a["updated_at"].tzinfo is not None


async def test_statements_it_cannot_prepare_are_left_to_sqlalchemy(db: Database) -> None:
    returning = update(ORGS).where(ORGS.c.name == bindparam("n")).values(revision=5)
    expanding = update(ORGS).where(ORGS.c.name.in_(bindparam("names", expanding=True)))
    async with db.batched() as uow:
        connection = await uow.session.connection()
        driver = await driver_of(connection)
        assert driver is not None
        context = defaults_context(connection)
        with inline_statements():
            ran = run_update(
                driver, connection.dialect, returning.returning(ORGS.c.id), {"n": "x"}, context
            )
            assert ran is None
            ran = run_update(
                driver, connection.dialect, expanding.values(revision=3), {"names": []}, context
            )
            assert ran is None
        assert not await insert_rows(
            driver, connection.dialect, ORGS, ("no_such_column",), [{}], context
        )
        await uow.commit()


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(
    moment=st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()
    )
    | st.datetimes()
)
def test_a_timestamp_is_written_as_its_types_own_processor_writes_it(moment: datetime) -> None:
    """The prepared path's one-step `UtcDateTime` converter against the type's chain (decorator,
    `as_utc`, SQLite's `DATETIME` format), for aware times in any zone and naive ones."""
    dialect = sqlite.dialect()
    own = UtcDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert own is not None
    assert utc_text(moment) == own(moment)


def test_timestamp_columns_get_the_one_step_converter() -> None:
    dialect = sqlite.dialect()
    assert bind_converter(EVENTS.c.occurred_at.type, dialect) is utc_text
    assert bind_converter(EVENTS.c.data.type, dialect) is not utc_text
