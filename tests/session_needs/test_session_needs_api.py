"""/api/v1/transactions/{id}/charging-needs: set only on a running session, read back only once
set."""

from tests.api.factories import charged_station
from tests.api.test_errors import problem
from tests.conftest import Tenant


async def test_needs_are_refused_on_a_stopped_or_unknown_session(tenant: Tenant) -> None:
    _station_id, transaction_id = await charged_station(tenant)
    path = f"/transactions/{transaction_id}/charging-needs"

    assert (
        "stopped" in problem(await tenant.api.patch(path, json={"energy_kwh": 20}), 409)["detail"]
    )
    assert "no charging needs" in problem(await tenant.api.get(path), 404)["detail"]
    unknown = "/transactions/2147483647/charging-needs"
    problem(await tenant.api.patch(unknown, json={"energy_kwh": 20}), 404)
    problem(await tenant.api.patch(path, json={"energy_kwh": -1}), 422)
