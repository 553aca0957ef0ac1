"""Events reach the live stream and webhooks in commit order, none skipped, even when PostgreSQL
commits them in another order than their `seq` (which a sequence hands out before commit)."""

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from chargeyard.events.models import Event
from chargeyard.events.payloads import STATION_DATA_TRANSFER, StationDataTransfer
from chargeyard.events.recorder import record_event
from chargeyard.storage.appended import insert_appended
from chargeyard.storage.database import Database
from chargeyard.storage.unit_of_work import UnitOfWork
from tests.conftest import Tenant
from tests.events.test_stream import frames, next_frames
from tests.support.databases import POSTGRES_ENV
from tests.webhooks.conftest import subscribe
from tests.webhooks.receiver import Receiver, running_receiver

pytestmark = pytest.mark.skipif(
    not os.environ.get(POSTGRES_ENV),
    reason="two transactions writing at once need PostgreSQL (SQLite has one writer)",
)


@dataclass(frozen=True)
class Written:
    id: str
    seq: int


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with running_receiver() as running:
        yield running


async def record(uow: UnitOfWork, tenant: Tenant, station_id: str, text: str) -> Written:
    """Record an event and write it now (its `seq` taken), leaving the transaction open."""
    event = record_event(
        uow,
        organization_id=tenant.organization_id,
        kind=STATION_DATA_TRANSFER,
        occurred_at=datetime.now(UTC),
        station_id=station_id,
        data=StationDataTransfer(
            station_id=station_id, vendor_id="acme", message_id=None, data=text
        ),
    )
    await insert_appended(uow.session, uow.take_appended())
    seq = await uow.session.scalar(select(Event.seq).where(Event.id == event.id))
    assert seq is not None
    return Written(event.id, seq)


async def test_an_event_committed_after_a_later_one_is_streamed_and_delivered_after_it(
    tenant: Tenant, receiver: Receiver
) -> None:
    await subscribe(tenant, receiver.url)
    station = tenant.unique("CP")
    db = Database(tenant.server.settings.database_url)
    try:
        async with tenant.api.stream("GET", "/events/stream") as response:
            stream = frames(response)
            async with db.writing() as early:
                first = await record(early, tenant, station, "takes the lower seq, commits last")
                async with db.writing() as late:
                    second = await record(
                        late, tenant, station, "takes the higher seq, commits first"
                    )
                    assert second.seq > first.seq
                    await late.commit()
                # The later seq committed first: it is streamed and delivered first, while the
                # earlier seq is still uncommitted (a seq cursor would now stand past it).
                (shown,) = await next_frames(stream, 1)
                assert shown["id"] == second.id
                await receiver.wait_for(lambda: len(receiver.delivered()) == 1)
                await early.commit()
            (shown_after,) = await next_frames(stream, 1)
            assert shown_after["id"] == first.id
    finally:
        await db.dispose()
    await receiver.wait_for(lambda: len(receiver.accepted()) == 2)
    assert [r.headers["webhook-id"] for r in receiver.accepted()] == [second.id, first.id]


async def test_events_of_transactions_that_commit_together_are_all_streamed_once(
    tenant: Tenant,
) -> None:
    db = Database(tenant.server.settings.database_url)
    try:
        async with tenant.api.stream("GET", "/events/stream") as response:
            stream = frames(response)
            sessions = [db.writing() for _ in range(4)]
            units = [await s.__aenter__() for s in sessions]
            recorded = []
            for n, uow in enumerate(units):
                recorded.append(await record(uow, tenant, tenant.unique("CP"), f"writer {n}"))
            for uow in reversed(units):  # commit in the reverse of seq order, back to back
                await uow.commit()
            for s in sessions:
                await s.__aexit__(None, None, None)
            shown = await next_frames(stream, 4)
    finally:
        await db.dispose()
    assert sorted(f["id"] for f in shown) == sorted(e.id for e in recorded)
