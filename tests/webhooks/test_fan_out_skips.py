"""An organization with no enabled subscription costs the fan-out nothing per event: the sequencer
marks its events fanned out as it numbers them, so the fan-out never reads or marks them; a
subscription made later still receives the events recorded after it (docs/webhooks.md)."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from chargeyard.events.models import Event
from chargeyard.storage.database import Database
from chargeyard.webhooks.models import WebhookSubscription
from tests.conftest import Tenant, make_tenant
from tests.support.databases import fresh_database
from tests.support.server import in_process_server
from tests.webhooks.conftest import fast_settings, subscribe
from tests.webhooks.receiver import Receiver

FAN_OUT_READ = "ORDER BY events.position"  # the fan-out's batch read (`DeliveryQueue.fan_out`)
MARK = "SET fanned_out=? WHERE events.seq IN"  # the fan-out's per-event mark


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    run: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        run.append(" ".join(sql.split()))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield run
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def _settled(db: Database, tenant: Tenant) -> list[Event]:
    """The organization's events once every one has a position (the sequencer ran)."""
    async with asyncio.timeout(20):
        while True:
            async with db.reading() as uow:
                rows = list(
                    await uow.session.scalars(
                        select(Event)
                        .where(Event.organization_id == tenant.organization_id)
                        .order_by(Event.seq)
                    )
                )
            if rows and all(row.position is not None for row in rows):
                return rows
            await asyncio.sleep(0.02)


async def test_no_subscription_no_fan_out_work_and_a_later_one_gets_the_next_events(
    tmp: Path, receiver: Receiver
) -> None:
    async with fresh_database(tmp) as url, in_process_server(fast_settings(url)) as server:
        assert server.app is not None
        db: Database = server.app.state.ctx.db
        async for tenant in make_tenant(server):
            with statements(db.engine) as run:
                for n in range(3):
                    created = await tenant.api.post("/id-tags", json={"value": f"EARLY-{n}"})
                    assert created.status_code == 201, created.text
                before = await _settled(db, tenant)
            assert len(before) >= 3 and all(row.fanned_out for row in before)
            fan_out = [sql for sql in run if FAN_OUT_READ in sql and "fanned_out" in sql]
            assert fan_out == [] and [sql for sql in run if MARK in sql] == []

            await subscribe(tenant, receiver.url, ["id_tag.*"])
            created = await tenant.api.post("/id-tags", json={"value": "LATE-1"})
            assert created.status_code == 201, created.text
            await receiver.wait_for(lambda: len(receiver.delivered()) >= 1)
            after = await _settled(db, tenant)
            late = [row for row in after if row.seq > before[-1].seq]
            assert [row.type for row in late] == ["id_tag.created"]
            assert late[0].fanned_out  # by the fan-out this time, with its delivery
            assert [r.json["id"] for r in receiver.delivered()] == [late[0].id]


async def test_a_subscription_made_while_events_are_numbered_misses_none_after_it(
    tmp: Path, receiver: Receiver
) -> None:
    """Events recorded without pause while the organization's first subscription is created: the
    sequencer numbers (and, with no subscription yet, marks fanned out) batches around the
    creation. Every event numbered after the subscription's starting position is delivered to
    it, and none before: a batch that decided on the list without it never numbered past it
    (on PostgreSQL the creation waits for the batch in flight and holds the next one off)."""
    async with fresh_database(tmp) as url, in_process_server(fast_settings(url)) as server:
        assert server.app is not None
        db: Database = server.app.state.ctx.db
        async for tenant in make_tenant(server):
            await _subscribe_while_recording(db, tenant, receiver)


async def _subscribe_while_recording(db: Database, tenant: Tenant, receiver: Receiver) -> None:
    subscribed = asyncio.Event()
    after_it = 0

    async def record() -> None:
        nonlocal after_it
        n = 0
        while after_it < 10:  # until ten were recorded once the subscription exists
            created = await tenant.api.post("/id-tags", json={"value": f"RACE-{n}"})
            assert created.status_code == 201, created.text
            n += 1
            if subscribed.is_set():
                after_it += 1

    recording = asyncio.create_task(record())
    await _settled(db, tenant)  # some events numbered before the subscription
    made = await subscribe(tenant, receiver.url, ["id_tag.*"])
    subscribed.set()
    await recording
    rows = await _settled(db, tenant)
    async with db.reading() as uow:
        start = await uow.session.scalar(
            select(WebhookSubscription.after_seq).where(WebhookSubscription.id == made["id"])
        )
    assert start is not None
    owed = [
        row.id
        for row in rows
        if row.type.startswith("id_tag.") and row.position is not None and row.position > start
    ]
    assert len(owed) >= 10
    await receiver.wait_for(lambda: len(receiver.accepted()) >= len(owed), within=30)
    assert sorted(r.json["id"] for r in receiver.accepted()) == sorted(owed)
