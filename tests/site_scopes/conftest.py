"""Two sites of one organization, each with a station that has lived a little (a fault, a
security event, a reservation, a priced session, a command), and an operator confined to the
first site: what every site-scope test looks at."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.factories import USER_PASSWORD, created
from tests.commands.station import scripted_station
from tests.conftest import Tenant
from tests.support.billing import create_tariff, stamp
from tests.support.http import http_client
from tests.support.ocpp_client import PASSWORD

DEADLINE_S = 20.0
TAG = "SITE-TAG"


@dataclass(frozen=True)
class Site:
    """One site: a root location, a child location under it holding the station, and what the
    station left behind."""

    location_id: str
    child_id: str
    station_id: str
    transaction_id: int
    reservation_id: int
    command_id: str
    alert_id: str
    cdr_id: str
    event_id: str

    def ids(self) -> dict[str, Any]:
        return {
            "location_id": self.location_id,
            "child_id": self.child_id,
            "station_id": self.station_id,
            "transaction_id": self.transaction_id,
            "reservation_id": self.reservation_id,
            "command_id": self.command_id,
            "alert_id": self.alert_id,
            "cdr_id": self.cdr_id,
            "event_id": self.event_id,
        }


@dataclass(frozen=True)
class Estate:
    admin: Tenant
    mine: Site
    theirs: Site
    user_id: str
    email: str
    scoped: httpx.AsyncClient
    """The operator confined to `mine`, signed in with a token of its own."""


async def eventually(read: Callable[[], Awaitable[Any]]) -> Any:
    """`read()`'s first truthy answer, within the deadline."""
    loop = asyncio.get_running_loop()
    until = loop.time() + DEADLINE_S
    while True:
        found = await read()
        if found:
            return found
        assert loop.time() < until, "nothing turned up within the deadline"
        await asyncio.sleep(0.05)


async def first_item(api: httpx.AsyncClient, path: str, **params: Any) -> Any:
    answer = await api.get(path, params=params)
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    return items[0] if items else None


async def build_site(admin: Tenant, tariff_id: str) -> Site:
    api = admin.api
    root = await created(api, "/locations", {"name": admin.unique("Site")})
    child = await created(api, "/locations", {"name": "Car park", "parent_id": root["id"]})
    station_id = admin.unique("CP")
    body = {"id": station_id, "password": PASSWORD, "location_id": child["id"]}
    await created(api, "/stations", body)
    patched = await api.patch(f"/stations/{station_id}", json={"tariff_id": tariff_id})
    assert patched.status_code == 200, patched.text
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    async with scripted_station(admin.server.ocpp_url, station_id) as station:
        fault = {"connectorId": 1, "status": "Faulted", "errorCode": "GroundFailure"}
        await station.ok("StatusNotification", fault)
        await station.ok(
            "SecurityEventNotification", {"type": "InvalidMessages", "timestamp": stamp(start)}
        )
        reserved = await api.post(
            f"/stations/{station_id}/commands/reserve-now",
            json={"evse_id": 1, "id_tag": TAG, "expires_at": stamp(start + timedelta(days=2))},
        )
        assert reserved.status_code == 200, reserved.text
        available = {"connectorId": 1, "status": "Available", "errorCode": "NoError"}
        await station.ok("StatusNotification", available)
        started = await station.ok(
            "StartTransaction",
            {"connectorId": 1, "idTag": TAG, "meterStart": 0, "timestamp": stamp(start)},
        )
        tx_id = int(started["transactionId"])
        sample = {
            "timestamp": stamp(start + timedelta(minutes=10)),
            "sampledValue": [{"value": "4000", "unit": "Wh"}],
        }
        await station.ok(
            "MeterValues", {"connectorId": 1, "transactionId": tx_id, "meterValue": [sample]}
        )
        await station.ok(
            "StopTransaction",
            {
                "transactionId": tx_id,
                "meterStop": 8000,
                "timestamp": stamp(start + timedelta(minutes=20)),
            },
        )
    alert = await eventually(lambda: first_item(api, "/alerts", station_id=station_id))
    cdr = await eventually(lambda: first_item(api, "/cdrs", station_id=station_id))
    command = await first_item(api, "/commands", station_id=station_id)
    reservation = await first_item(api, "/reservations", station_id=station_id)
    event = await first_item(api, "/events", station_id=station_id)
    return Site(
        location_id=root["id"],
        child_id=child["id"],
        station_id=station_id,
        transaction_id=tx_id,
        reservation_id=reservation["id"],
        command_id=command["id"],
        alert_id=alert["id"],
        cdr_id=cdr["id"],
        event_id=event["id"],
    )


async def scoped_user(
    admin: Tenant, role: str, location_ids: list[str]
) -> tuple[dict[str, Any], str]:
    """A user confined to `location_ids`, and the secret of a token an admin issued for it."""
    email = f"{admin.unique('site')}@example.com"
    user = await created(
        admin.api,
        "/users",
        {"email": email, "password": USER_PASSWORD, "role": role, "location_ids": location_ids},
    )
    issued = await created(admin.api, "/tokens", {"role": role, "user_id": user["id"]})
    return user, str(issued["secret"])


@pytest.fixture
async def estate(tenant: Tenant) -> AsyncIterator[Estate]:
    assert (await tenant.api.post("/id-tags", json={"value": TAG})).status_code == 201
    tariff_id = await create_tariff(tenant)
    mine = await build_site(tenant, tariff_id)
    theirs = await build_site(tenant, tariff_id)
    user, secret = await scoped_user(tenant, "operator", [mine.location_id])
    headers = {"Authorization": f"Bearer {secret}"}
    async with http_client(base_url=str(tenant.api.base_url), headers=headers) as scoped:
        yield Estate(tenant, mine, theirs, user["id"], user["email"], scoped)
