"""/api/v1/stations/{id}/wiring: an EVSE's (or the station default's) wiring set, checked as an
electrical spec, with its event."""

from tests.api.factories import create
from tests.api.test_errors import problem
from tests.conftest import Tenant
from tests.support.payloads import recorded_fit


async def test_wiring_is_set_per_evse_and_checked(tenant: Tenant, other_tenant: Tenant) -> None:
    station = await create(tenant, "stations")
    path = f"/stations/{station['id']}/wiring"

    single_on_three = {"supply": "ac_single_phase", "lines": ["L1", "L2", "L3"]}
    assert "wiring" in problem(await tenant.api.put(path, json=single_on_three), 422)["detail"]
    problem(await other_tenant.api.put(path, json={}), 404)
    default = await tenant.api.put(path, json={})
    assert default.status_code == 200, default.text
    assert (default.json()["evse_id"], default.json()["lines"]) == (0, "L1,L2,L3")
    own = await tenant.api.put(
        path, params={"evse_id": 1}, json={"supply": "dc", "max_power_kw": 50}
    )
    assert own.status_code == 200, own.text
    assert (own.json()["evse_id"], own.json()["supply"]) == (1, "dc")

    assert await recorded_fit(tenant.api, "evse_wiring.") == [
        "evse_wiring.updated",
        "evse_wiring.updated",
    ]
