"""/api/v1/vehicles: created, replaced (If-Match), changed and deleted, with their events;
another organization's vehicles unseen."""

from tests.api.factories import created
from tests.api.test_errors import problem
from tests.conftest import Tenant
from tests.support.payloads import recorded_fit


async def test_a_vehicle_lives_and_is_deleted(tenant: Tenant, other_tenant: Tenant) -> None:
    van = await created(tenant.api, "/vehicles", {"name": "Van", "battery_kwh": 75})
    path = f"/vehicles/{van['id']}"
    read = await tenant.api.get(path)
    assert read.json()["target_soc_percent"] == 100.0

    replaced = await tenant.api.put(
        path,
        json={"name": "Van", "battery_kwh": 80, "departure_time": "07:30"},
        headers={"If-Match": read.headers["ETag"]},
    )
    assert replaced.status_code == 200, replaced.text
    assert (replaced.json()["battery_kwh"], replaced.json()["departure_time"]) == (80, "07:30")
    problem(await tenant.api.patch(path, json={"departure_time": "25:00"}), 422)
    changed = await tenant.api.patch(path, json={"priority": 1})
    assert changed.status_code == 200 and changed.json()["priority"] == 1
    problem(await other_tenant.api.get(path), 404)
    problem(await other_tenant.api.delete(path), 404)

    assert (await tenant.api.delete(path)).status_code == 204
    problem(await tenant.api.get(path), 404)
    assert await recorded_fit(tenant.api, "vehicle.") == [
        "vehicle.created",
        "vehicle.updated",
        "vehicle.updated",
        "vehicle.deleted",
    ]
