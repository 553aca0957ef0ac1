"""A server restarted with undelivered events delivers all of them afterwards, each once."""

import asyncio
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from chargeyard.events.payloads import STATION_DATA_TRANSFER, StationDataTransfer
from chargeyard.events.recorder import record_event
from chargeyard.storage.database import Database
from tests.conftest import make_tenant
from tests.support.databases import fresh_database
from tests.support.ocpp_client import PASSWORD
from tests.support.server import in_process_server
from tests.webhooks.conftest import fast_settings
from tests.webhooks.receiver import Received, Receiver

# Retries come every 0.3 s, and never run out during the test.
STEADY = {"webhooks_retry_schedule_s": [0.3] * 50}


async def test_undelivered_events_survive_a_restart(tmp: Path, receiver: Receiver) -> None:
    up = False

    async def down_until_restart(_item: Received) -> int:
        return 200 if up else 503

    receiver.behaviour = down_until_restart
    async with fresh_database(tmp) as url:
        async with in_process_server(fast_settings(url, **STEADY)) as first:
            async for tenant in make_tenant(first):
                answer = await tenant.api.post("/webhooks", json={"url": receiver.url})
                assert answer.status_code == 201
                stations = [tenant.unique("CP") for _ in range(3)]
                for station in stations:
                    body = {"id": station, "password": PASSWORD}
                    assert (await tenant.api.post("/stations", json=body)).status_code == 201
                    for n in range(3):
                        patch = await tenant.api.patch(
                            f"/stations/{station}", json={"name": f"{n}"}
                        )
                        assert patch.status_code == 200
                await receiver.wait_for(lambda: len(receiver.received) >= 3, within=30)
                organization_id = tenant.organization_id
        assert receiver.delivered() == []
        await record_while_down(url, organization_id, stations[0])
        up = True
        async with in_process_server(fast_settings(url, **STEADY)):
            await receiver.wait_for(lambda: len(delivered_ids(receiver)) >= 13, within=30)
            await asyncio.sleep(0.3)  # room for a duplicate to show up, if there were one
    delivered = Counter(r.headers["webhook-id"] for r in receiver.delivered())
    assert len(delivered) == 13 and set(delivered.values()) == {1}
    for station in stations:
        types = [r.json["type"] for r in receiver.delivered() if r.json["station_id"] == station]
        expected = ["station.registered"] + ["station.updated"] * 3
        assert types == (
            [*expected, "station.data_transfer"] if station == stations[0] else expected
        )


def delivered_ids(receiver: Receiver) -> set[str]:
    return {r.headers["webhook-id"] for r in receiver.delivered()}


async def record_while_down(url: str, organization_id: str, station_id: str) -> None:
    """An event committed while no server runs (as by another node, or before a crash)."""
    db = Database(url)
    try:
        async with db.writing() as uow:
            record_event(
                uow,
                organization_id=organization_id,
                kind=STATION_DATA_TRANSFER,
                occurred_at=datetime.now(UTC),
                station_id=station_id,
                data=StationDataTransfer(
                    station_id=station_id, vendor_id="acme", message_id=None, data="x"
                ),
            )
            await uow.commit()
    finally:
        await db.dispose()
