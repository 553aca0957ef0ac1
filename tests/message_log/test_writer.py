"""The message log writer keeps a batch the database refused and writes it on a later flush, in
order; past its bound it drops the oldest frames and counts them."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from chargeyard.message_log.models import LoggedMessage
from chargeyard.message_log.writer import MessageLogWriter
from chargeyard.observability.metrics import MESSAGE_LOG_DROPPED_FRAMES
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from tests.support.databases import fresh_database
from tests.support.failing_writes import allow_writes, refuse_writes


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with fresh_database(tmp_path) as url:
        await upgrade_async(url)
        database = Database(url)
        try:
            yield database
        finally:
            await database.dispose()


def log(writer: MessageLogWriter, *unique_ids: str) -> None:
    for unique_id in unique_ids:
        writer.frame(
            station_id="CP-1",
            organization_id=None,
            direction="out",  # no `last_seen` update: the station row does not exist
            frame=f'[2,"{unique_id}","Heartbeat",{{}}]',
            message_type=2,
            unique_id=unique_id,
            action="Heartbeat",
        )


async def stored(db: Database) -> list[str | None]:
    async with db.reading() as uow:
        rows = await uow.session.scalars(select(LoggedMessage.unique_id).order_by(LoggedMessage.id))
        return list(rows)


def now() -> datetime:
    return datetime.now(UTC)


async def test_a_refused_batch_is_written_by_a_later_flush(db: Database) -> None:
    writer = MessageLogWriter(db, now, interval_s=60)
    log(writer, "a", "b")
    await refuse_writes(db.url, ["message_log"])
    with pytest.raises(DBAPIError):
        await writer.flush()
    assert writer.pending == 2
    assert db.write_health.failing
    log(writer, "c")
    with pytest.raises(DBAPIError):
        await writer.flush()
    assert writer.pending == 3
    await allow_writes(db.url, ["message_log"])
    await writer.flush()
    assert writer.pending == 0
    assert await stored(db) == ["a", "b", "c"]
    assert not db.write_health.failing


async def test_past_its_bound_the_oldest_frames_are_dropped_and_counted(db: Database) -> None:
    writer = MessageLogWriter(db, now, interval_s=60, max_retained=3)
    dropped_before = MESSAGE_LOG_DROPPED_FRAMES._value.get()
    await refuse_writes(db.url, ["message_log"])
    log(writer, "a", "b")
    with pytest.raises(DBAPIError):
        await writer.flush()
    log(writer, "c", "d", "e")
    with pytest.raises(DBAPIError):
        await writer.flush()
    assert writer.pending == 3
    assert MESSAGE_LOG_DROPPED_FRAMES._value.get() - dropped_before == 2
    await allow_writes(db.url, ["message_log"])
    await writer.flush()
    assert await stored(db) == ["c", "d", "e"]
