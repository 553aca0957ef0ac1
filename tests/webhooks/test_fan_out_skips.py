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
