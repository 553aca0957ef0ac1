"""/api/v1/circuits/{id}/measurements: baseload and solar readings posted in bulk for a circuit
of the organization's own, with one event for the batch."""

from tests.api.factories import created
from tests.api.test_errors import problem
from tests.conftest import Tenant
from tests.support.payloads import recorded_fit

READINGS = [
    {"kind": "baseload", "measured_at": "2030-01-01T12:00:00Z", "power_kw": 12.5},
    {"kind": "solar", "measured_at": "2030-01-01T12:00:00Z", "power_kw": 8, "forecast": True},
]


async def test_readings_are_stored_for_the_circuit(tenant: Tenant, other_tenant: Tenant) -> None:
    hall = await created(tenant.api, "/circuits", {"name": "Hall", "max_power_kw": 50})
    path = f"/circuits/{hall['id']}/measurements"

    answer = await tenant.api.post(path, json=READINGS)
    assert answer.status_code == 201, answer.text
    stored = answer.json()
    assert [(m["kind"], m["forecast"], m["circuit_id"]) for m in stored] == [
        ("baseload", False, hall["id"]),
        ("solar", True, hall["id"]),
    ]
    problem(await other_tenant.api.post(path, json=READINGS), 404)
    problem(await tenant.api.post(path, json=[READINGS[0] | {"kind": "wind"}]), 422)
    assert await recorded_fit(tenant.api, "measurement.") == ["measurement.added"]
