"""Building blocks for API tests: clients with other roles, resources of every kind, a charged
station, and polling the batched message log."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx

from tests.conftest import Tenant
from tests.support.http import http_client
from tests.support.ocpp_client import PASSWORD, raw_station

BOOT = {"chargePointVendor": "Acme", "chargePointModel": "Wallbox 22"}
USER_PASSWORD = "a-long-user-password"

# For each resource: a fresh creation body, a PATCH body, and a full PUT body.
Body = Callable[[Tenant], dict[str, Any]]
RESOURCES: dict[str, tuple[Body, Body, Body]] = {
    "stations": (
        lambda t: {"id": t.unique("CP"), "password": PASSWORD},
        lambda t: {"name": t.unique("Bay")},
        lambda t: {
            "name": t.unique("Bay"),
            "location_id": None,
            "security_profile": 1,
            "registration_status": "Accepted",
        },
    ),
    "id-tags": (
        lambda t: {"value": t.unique("TAG")},
        lambda t: {"description": t.unique("card")},
        lambda t: {"value": t.unique("TAG"), "status": "Blocked"},
    ),
    "locations": (
        lambda t: {"name": t.unique("Site")},
        lambda t: {"city": t.unique("City")},
        lambda t: {"name": t.unique("Site"), "country": "DE"},
    ),
    "tag-groups": (
        lambda t: {"name": t.unique("group")},
        lambda t: {"description": t.unique("fleet")},
        lambda t: {"name": t.unique("group"), "description": "staff", "id_tags": []},
    ),
    "hardware-templates": (
        lambda t: {"vendor": t.unique("Vendor"), "model": "Wallbox 22"},
        lambda t: {"name": t.unique("Twin")},
        lambda t: {"vendor": t.unique("Vendor"), "model": "Twin 22", "name": None, "evses": []},
    ),
    "users": (
        lambda t: {"email": f"{t.unique('user')}@example.com", "password": USER_PASSWORD},
        lambda t: {"name": t.unique("Name")},
        lambda t: {"email": f"{t.unique('user')}@example.com", "role": "operator"},
    ),
    "vehicles": (
        lambda t: {"name": t.unique("Van"), "battery_kwh": 75.0},
        lambda t: {"name": t.unique("Van")},
        lambda t: {"name": t.unique("Truck"), "battery_kwh": 300.0, "priority": 2},
    ),
}


async def created(api: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = await api.post(path, json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def create(tenant: Tenant, resource: str) -> dict[str, Any]:
    return await created(tenant.api, f"/{resource}", RESOURCES[resource][0](tenant))


async def issue_token(tenant: Tenant, role: str) -> str:
    answer = await created(
        tenant.api, "/tokens", {"role": role, "name": f"{role} token", "service": True}
    )
    return str(answer["secret"])


@asynccontextmanager
async def client_as(tenant: Tenant, role: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the same organization holding a fresh token with `role`."""
    secret = await issue_token(tenant, role)
    async with http_client(
        base_url=str(tenant.api.base_url), headers={"Authorization": f"Bearer {secret}"}
    ) as api:
        yield api


async def charged_station(tenant: Tenant) -> tuple[str, int]:
    """Register a station, charge once on it over OCPP 1.6; return (station id, transaction id)."""
    station_id = tenant.unique("CP")
    tag = tenant.unique("TAG")
    await created(tenant.api, "/stations", {"id": station_id, "password": PASSWORD})
    await created(tenant.api, "/id-tags", {"value": tag})
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        await station.ok("BootNotification", BOOT)
        start = await station.ok(
            "StartTransaction",
            {"connectorId": 1, "idTag": tag, "meterStart": 0, "timestamp": "2026-01-01T10:00:00Z"},
        )
        await station.ok(
            "StopTransaction",
            {
                "transactionId": start["transactionId"],
                "meterStop": 1200,
                "timestamp": "2026-01-01T10:20:00Z",
            },
        )
    return station_id, int(start["transactionId"])


async def logged(
    api: httpx.AsyncClient, params: dict[str, Any], *, at_least: int
) -> dict[str, Any]:
    """The message log is written in batches (every 0.05 s in tests): wait for the rows."""
    for _ in range(600):
        answer = await api.get("/message-log", params=params)
        assert answer.status_code == 200, answer.text
        if answer.json()["total"] >= at_least:
            return dict(answer.json())
        await asyncio.sleep(0.05)
    raise AssertionError(f"fewer than {at_least} logged frames for {params}: {answer.json()}")
