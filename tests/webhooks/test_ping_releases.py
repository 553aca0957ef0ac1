"""A successful ping tells the dispatcher the receiver is back: deliveries held for a long retry
step go out at once, still in order per station and once each."""

from collections import Counter
from pathlib import Path

from tests.conftest import make_tenant
from tests.support.databases import fresh_database
from tests.support.ocpp_client import PASSWORD
from tests.support.server import in_process_server
from tests.webhooks.conftest import fast_settings, subscribe
from tests.webhooks.receiver import Received, Receiver

TEN_MINUTES = {"webhooks_retry_schedule_s": [600.0] * 5}


async def test_a_successful_ping_releases_held_lanes(tmp: Path, receiver: Receiver) -> None:
    up = False

    async def down_until_told(_item: Received) -> int:
        return 200 if up else 503

    receiver.behaviour = down_until_told
    async with (
        fresh_database(tmp) as url,
        in_process_server(fast_settings(url, **TEN_MINUTES)) as server,
    ):
        async for tenant in make_tenant(server):
            hook = await subscribe(tenant, receiver.url)
            stations = [tenant.unique("CP") for _ in range(2)]
            for station in stations:
                body = {"id": station, "password": PASSWORD}
                assert (await tenant.api.post("/stations", json=body)).status_code == 201
                for n in range(2):
                    patch = await tenant.api.patch(f"/stations/{station}", json={"name": f"{n}"})
                    assert patch.status_code == 200
            # Each station's first event failed once and now waits ten minutes.
            await receiver.wait_for(lambda: len(receiver.received) == 2)
            failing_ping = await tenant.api.post(f"/webhooks/{hook['id']}/ping")
            assert failing_ping.status_code == 200 and not failing_ping.json()["success"]
            up = True
            ping = await tenant.api.post(f"/webhooks/{hook['id']}/ping")
            assert ping.status_code == 200 and ping.json()["success"], ping.text
            await receiver.wait_for(lambda: len(events(receiver)) == 6, within=15)
    delivered = Counter(r.headers["webhook-id"] for r in events(receiver))
    assert set(delivered.values()) == {1}
    for station in stations:
        types = [r.json["type"] for r in events(receiver) if r.json["station_id"] == station]
        assert types == ["station.registered", "station.updated", "station.updated"]


def events(receiver: Receiver) -> list[Received]:
    return [r for r in receiver.delivered() if r.json["type"] != "webhook.ping"]
