"""/api/v1/vehicle-groups and the vehicles' identity (VIN, make, model, plate, group)."""

import asyncio
from typing import Any

import pytest

from tests.api.factories import client_as
from tests.conftest import Tenant
from tests.permissions.test_authorization import created
from tests.support.payloads import recorded_fit

VIN = "WVWZZZ1JZXW000001"


def _problem(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_groups_hold_vehicles_and_are_deleted_only_empty(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    vans = await created(tenant, "/vehicle-groups", {"name": tenant.unique("vans")})
    _problem(await tenant.api.post("/vehicle-groups", json={"name": vans["name"]}), 409)
    van = await created(
        tenant,
        "/vehicles",
        {
            "name": "van 1",
            "battery_kwh": 75,
            "vin": VIN.lower(),
            "make": "Volkswagen",
            "model": "ID. Buzz",
            "license_plate": "B-CY 1234",
            "group_id": vans["id"],
        },
    )
    assert (van["vin"], van["make"], van["group_id"]) == (VIN, "Volkswagen", vans["id"])
    assert van["license_plate"] == "B-CY 1234"
    listed = (await tenant.api.get("/vehicles", params={"group_id": vans["id"]})).json()
    assert [v["id"] for v in listed["items"]] == [van["id"]]

    # One VIN per organization; another organization may hold the same VIN.
    twin = {"name": "twin", "battery_kwh": 50, "vin": VIN}
    _problem(await tenant.api.post("/vehicles", json=twin), 409)
    assert (await other_tenant.api.post("/vehicles", json=twin)).status_code == 201
    # Another organization's group is unknown, and so are its groups and vehicles.
    foreign = {"name": "x", "battery_kwh": 50, "group_id": vans["id"]}
    _problem(await other_tenant.api.post("/vehicles", json=foreign), 422)
    _problem(await other_tenant.api.get(f"/vehicle-groups/{vans['id']}"), 404)
    _problem(await other_tenant.api.get(f"/vehicles/{van['id']}"), 404)
    _problem(await other_tenant.api.delete(f"/vehicle-groups/{vans['id']}"), 404)

    _problem(await tenant.api.delete(f"/vehicle-groups/{vans['id']}"), 409)
    moved = await tenant.api.patch(f"/vehicles/{van['id']}", json={"group_id": None})
    assert moved.status_code == 200 and moved.json()["group_id"] is None
    renamed = await tenant.api.patch(f"/vehicle-groups/{vans['id']}", json={"name": "Vans"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Vans"
    assert (await tenant.api.delete(f"/vehicle-groups/{vans['id']}")).status_code == 204
    _problem(await tenant.api.get(f"/vehicle-groups/{vans['id']}"), 404)
    assert await recorded_fit(tenant.api, "vehicle_group.") == [
        "vehicle_group.created",
        "vehicle_group.updated",
        "vehicle_group.deleted",
    ]


async def test_a_viewer_reads_groups_but_cannot_write(tenant: Tenant) -> None:
    group = await created(tenant, "/vehicle-groups", {"name": tenant.unique("pool")})
    path = f"/vehicle-groups/{group['id']}"
    async with client_as(tenant, "viewer") as viewer:
        assert (await viewer.get("/vehicle-groups")).json()["total"] == 1
        assert (await viewer.get(path)).status_code == 200
        _problem(await viewer.post("/vehicle-groups", json={"name": "mine"}), 403)
        _problem(await viewer.patch(path, json={"name": "mine"}), 403)
        _problem(await viewer.delete(path), 403)
    assert (await tenant.api.get(path)).json() == group


@pytest.mark.parametrize(
    "body",
    [
        {"vin": "WVWZZZ1JZXW00000I"},  # I, O and Q are never in a VIN
        {"vin": "WVWZZZ1JZXW0000O1"},
        {"vin": "QVWZZZ1JZXW000001"},
        {"vin": "WVWZZZ1JZXW00001"},  # 16 characters
        {"vin": "WVWZZZ1JZXW0000012"},
        {"vin": "WVWZZZ1JZXW00000\U0001f697"},
        {"vin": 12345678901234567},
        {"make": ""},
        {"make": "x" * 101},
        {"license_plate": "\U0001f697" * 21},
        {"license_plate": ["B-CY 1"]},
        {"group_id": 7},
        {"battery_kwh": 1e300},
        {"battery_kwh": "lots"},
    ],
)
async def test_bad_fleet_fields_are_422(tenant: Tenant, body: dict[str, Any]) -> None:
    _problem(await tenant.api.post("/vehicles", json={"name": "v", "battery_kwh": 60, **body}), 422)


@pytest.mark.parametrize(
    "body",
    [{"name": ""}, {"name": "x" * 101}, {"name": 5}, {"name": "ok", "extra": 1}, {}],
)
async def test_bad_groups_are_422(tenant: Tenant, body: dict[str, Any]) -> None:
    _problem(await tenant.api.post("/vehicle-groups", json=body), 422)


async def test_an_emoji_name_is_a_name(tenant: Tenant) -> None:
    group = await created(tenant, "/vehicle-groups", {"name": "\U0001f69a depot"})
    assert group["name"] == "\U0001f69a depot"


async def test_two_vehicles_created_at_once_with_one_vin_one_wins(tenant: Tenant) -> None:
    """Both requests may pass the VIN check before either is written: the unique constraint
    then refuses the second, which is 409 like a second VIN sent later, never 500 (on SQLite the
    writers take turns and the check answers; on PostgreSQL they really race)."""
    for round_ in range(5):
        vin = f"WVWZZZ1JZXW0000{round_:02d}"
        bodies = [{"name": f"van {n}", "battery_kwh": 60, "vin": vin} for n in range(2)]
        answers = await asyncio.gather(*(tenant.api.post("/vehicles", json=b) for b in bodies))
        assert sorted(a.status_code for a in answers) == [201, 409], [a.text for a in answers]
        refused = next(a for a in answers if a.status_code == 409)
        _problem(refused, 409)
        assert vin in refused.json()["detail"]
    listed = (await tenant.api.get("/vehicles", params={"limit": 100})).json()
    assert sorted(v["vin"] for v in listed["items"]) == [
        f"WVWZZZ1JZXW0000{n:02d}" for n in range(5)
    ]
    assert await recorded_fit(tenant.api, "vehicle.created") == ["vehicle.created"] * 5
