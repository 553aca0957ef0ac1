"""A server killed (SIGKILL) with undelivered events delivers them after it comes back."""

import json
from collections import Counter
from pathlib import Path

from chargeyard.settings import Settings
from tests.conftest import make_tenant
from tests.support.databases import fresh_database
from tests.support.server import ChildServer, RunningServer, free_port
from tests.webhooks.receiver import Received, Receiver

ENV = {
    "CHARGEYARD_WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
    "CHARGEYARD_WEBHOOKS_RETRY_SCHEDULE_S": json.dumps([0.2] * 50),
    "CHARGEYARD_WEBHOOKS_POLL_S": "0.05",
    "CHARGEYARD_NODE_ID": "crash-node",
    "CHARGEYARD_LOG_LEVEL": "warning",
}


async def test_events_outlive_a_killed_server(tmp: Path, receiver: Receiver) -> None:
    up = False

    async def down_until_restart(_item: Received) -> int:
        return 200 if up else 503

    receiver.behaviour = down_until_restart
    async with fresh_database(tmp) as url:
        first, second = ChildServer(url, free_port(), ENV), ChildServer(url, free_port(), ENV)
        try:
            await first.start()
            running = RunningServer(first.base_url, first.ocpp_url, Settings(database_url=url))
            async for tenant in make_tenant(running):
                answer = await tenant.api.post("/webhooks", json={"url": receiver.url})
                assert answer.status_code == 201, answer.text
                for n in range(5):
                    tag = await tenant.api.post("/id-tags", json={"value": f"CRASH-{n}"})
                    assert tag.status_code == 201
                await receiver.wait_for(lambda: len(receiver.received) >= 2)
                await first.kill()
                assert receiver.delivered() == []
                up = True
                await second.start()
                await receiver.wait_for(lambda: len(receiver.delivered()) == 5, within=15)
                tenant.api.base_url = f"{second.base_url}/api/v1"
                events = (await tenant.api.get("/events", params={"order": "asc"})).json()
        finally:
            await first.stop()
            await second.stop()
    delivered = Counter(r.headers["webhook-id"] for r in receiver.delivered())
    assert list(delivered) == [e["id"] for e in events["items"]]  # all, in order
    assert set(delivered.values()) == {1}
