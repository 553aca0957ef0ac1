"""Two nodes on one database both run a dispatcher: every event is delivered once, in order per
station, through a receiver that keeps failing now and then."""

from collections import Counter
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import httpx

from tests.cluster.leased_nodes import client_for
from tests.conftest import make_tenant
from tests.support.databases import fresh_database
from tests.support.ocpp_client import PASSWORD
from tests.support.server import in_process_server
from tests.webhooks.conftest import fast_settings, subscribe
from tests.webhooks.receiver import Received, Receiver

STATIONS = 4
UPDATES = 5
EXPECTED = STATIONS * (1 + UPDATES)


async def test_two_dispatchers_deliver_each_event_once_in_order_per_station(
    tmp: Path, receiver: Receiver
) -> None:
    async def every_fourth_fails(_item: Received) -> int:
        return 503 if len(receiver.received) % 4 == 0 else 200

    receiver.behaviour = every_fourth_fails
    async with (
        fresh_database(tmp) as url,
        in_process_server(node_settings(url, "node-a")) as a,
        in_process_server(node_settings(url, "node-b")) as b,
    ):
        async for tenant in make_tenant(a):
            await subscribe(tenant, receiver.url)
            async with client_for(b.base_url, tenant.token) as via_b:
                nodes = [tenant.api, via_b]
                stations = [tenant.unique("CP") for _ in range(STATIONS)]
                for n, station in enumerate(stations):
                    await expect(
                        nodes[n % 2].post("/stations", json={"id": station, "password": PASSWORD}),
                        201,
                    )
                for update in range(UPDATES):
                    for n, station in enumerate(stations):
                        api = nodes[(n + update) % 2]  # a station's changes come through both
                        await expect(
                            api.patch(f"/stations/{station}", json={"name": f"{update}"}), 200
                        )
            # A deadline, not the outcome: on CI's two shared cores two in-process nodes with
            # every background job took over 60 s once (4 s when the machine is quiet).
            await receiver.wait_for(lambda: len(receiver.delivered()) >= EXPECTED, within=240)
            log = (await tenant.api.get("/events", params={"order": "asc", "limit": 100})).json()
    delivered = Counter(r.headers["webhook-id"] for r in receiver.delivered())
    assert len(delivered) == EXPECTED and set(delivered.values()) == {1}
    assert any(not r.ok for r in receiver.received)  # retries did happen
    for station in stations:
        sent = [
            r.headers["webhook-id"] for r in receiver.delivered() if r.json["station_id"] == station
        ]
        assert sent == [e["id"] for e in log["items"] if e["station_id"] == station]


def node_settings(url: str, node_id: str) -> Any:
    # A delivery the receiver took but whose answer came after the sender's timeout is sent
    # again: webhooks are at least once, and receivers deduplicate by webhook-id. Here the
    # timeout is long, so every repeat the test could see would be the dispatchers' own.
    return fast_settings(url, node_id=node_id, events_poll_s=0.1, webhooks_timeout_s=10)


async def expect(request: Awaitable[httpx.Response], status: int) -> None:
    answer = await request
    assert answer.status_code == status, answer.text
