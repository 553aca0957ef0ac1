"""/api/v1/circuits/{id}/capacity-windows: a window needs a limit, belongs to its circuit, and
records its events."""

from tests.api.factories import created
from tests.api.test_errors import problem
from tests.conftest import Tenant
from tests.support.payloads import recorded_fit

WINDOW = {"starts_at": "2030-01-01T16:00:00Z", "ends_at": "2030-01-01T20:00:00Z"}


async def test_windows_are_added_listed_and_removed_per_circuit(tenant: Tenant) -> None:
    hall = await created(tenant.api, "/circuits", {"name": "Hall", "max_power_kw": 50})
    yard = await created(tenant.api, "/circuits", {"name": "Yard", "max_power_kw": 50})
    path = f"/circuits/{hall['id']}/capacity-windows"

    problem(await tenant.api.post(path, json=WINDOW), 422)  # neither kW nor A
    window = await created(tenant.api, path, WINDOW | {"max_power_kw": 20})
    assert [w["id"] for w in (await tenant.api.get(path)).json()] == [window["id"]]
    # Another circuit's window, and an unknown circuit, are not found.
    problem(await tenant.api.delete(f"/circuits/{yard['id']}/capacity-windows/{window['id']}"), 404)
    problem(await tenant.api.get("/circuits/nope/capacity-windows"), 404)

    assert (await tenant.api.delete(f"{path}/{window['id']}")).status_code == 204
    assert (await tenant.api.get(path)).json() == []
    problem(await tenant.api.delete(f"{path}/{window['id']}"), 404)
    assert await recorded_fit(tenant.api, "circuit.window") == [
        "circuit.window_added",
        "circuit.window_removed",
    ]
