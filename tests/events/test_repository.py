"""`recorded_after`: the log's rows past a position as `RecordedEvent`s, only the wanted kinds
decoded, and the position to resume after (what the smart-charging tail reads)."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from chargeyard.events.domain import RecordedEvent
from chargeyard.events.models import Event
from chargeyard.events.repository import recorded_after
from chargeyard.storage.base import new_id
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from tests.support.databases import fresh_database

T0 = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
# (organization, type, position): positions out of insertion order, as the sequencer may give
LOG = [
    ("org-a", "meter_values.received", 11),
    ("org-b", "session.started", 12),
    ("org-a", "session.updated", 13),
    ("org-a", "session.started", 15),
    ("org-a", "connector.status_changed", 14),
    ("org-a", "session.updated", 16),
]


def wanted(kind: str) -> bool:
    return kind != "session.updated"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with fresh_database(tmp_path) as url:
        await upgrade_async(url)
        database = Database(url)
        async with database.writing() as uow:
            await uow.session.execute(
                insert(Event),
                [
                    {
                        "id": new_id(),
                        "organization_id": organization,
                        "type": kind,
                        "occurred_at": T0 + timedelta(seconds=position),
                        "station_id": "CP1",
                        "transaction_id": position,
                        "data": {"n": position, "nested": {"x": [1.5, None, "é"]}},
                        "fanned_out": True,
                        "position": position,
                    }
                    for organization, kind, position in LOG
                ],
            )
            await uow.commit()
        yield database
        await database.dispose()


async def stored(db: Database, organization: str, after: int) -> list[RecordedEvent]:
    """The same events as the ORM loads them, for comparison."""
    async with db.reading() as uow:
        rows = await uow.session.scalars(
            select(Event)
            .where(Event.organization_id == organization, Event.position > after)
            .order_by(Event.position)
        )
        return [
            RecordedEvent(
                e.id,
                e.organization_id,
                e.type,
                e.occurred_at,
                e.station_id,
                e.transaction_id,
                e.data,
            )
            for e in rows
            if wanted(e.type)
        ]


async def read(db: Database, after: int, limit: int = 100) -> tuple[list[RecordedEvent], Any]:
    async with db.reading() as uow:
        return await recorded_after(uow.session, after, ["org-a"], limit=limit, wanted=wanted)


async def test_wanted_events_as_the_orm_reads_them_and_the_last_position_read(
    db: Database,
) -> None:
    events, last = await read(db, 10)
    assert events == await stored(db, "org-a", 10)
    assert [e.type for e in events] == [
        "meter_values.received",
        "connector.status_changed",
        "session.started",
    ]
    assert all(e.occurred_at.tzinfo is not None for e in events)
    assert last == 16  # an unwanted event read last still moves the reader past it


async def test_the_limit_counts_unwanted_rows_and_reading_resumes_after_them(
    db: Database,
) -> None:
    first, last = await read(db, 10, limit=2)
    assert ([e.type for e in first], last) == (["meter_values.received"], 13)
    second, last = await read(db, 13, limit=2)
    assert ([e.type for e in second], last) == (
        ["connector.status_changed", "session.started"],
        15,
    )
    assert await read(db, 16) == ([], None)
