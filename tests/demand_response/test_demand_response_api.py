"""/api/v1/demand-response-events: a curtailment needs a cap of 0 or more, a V2G window may go
without; events are listed by start, cancelled, and recorded."""

from tests.api.factories import created
from tests.api.test_errors import problem
from tests.conftest import Tenant
from tests.support.payloads import recorded_fit

WINDOW = {"starts_at": "2030-01-01T16:00:00Z", "ends_at": "2030-01-01T18:00:00Z"}


async def test_events_are_checked_listed_and_cancelled(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    hall = await created(tenant.api, "/circuits", {"name": "Hall", "max_power_kw": 50})
    curtailment = WINDOW | {"circuit_id": hall["id"], "kind": "curtailment"}
    path = "/demand-response-events"

    assert "max_power_kw" in problem(await tenant.api.post(path, json=curtailment), 422)["detail"]
    negative = curtailment | {"max_power_kw": -1}
    assert "0 or more" in problem(await tenant.api.post(path, json=negative), 422)["detail"]
    problem(await other_tenant.api.post(path, json=curtailment | {"max_power_kw": 5}), 404)
    capped = await created(tenant.api, path, curtailment | {"max_power_kw": 10})
    v2g = await created(
        tenant.api,
        path,
        curtailment | {"kind": "v2g", "starts_at": "2030-01-01T15:00:00Z"},
    )
    listed = (await tenant.api.get(path)).json()["items"]
    assert [e["id"] for e in listed] == [v2g["id"], capped["id"]]

    assert (await tenant.api.delete(f"{path}/{capped['id']}")).status_code == 204
    problem(await tenant.api.delete(f"{path}/{capped['id']}"), 404)
    assert await recorded_fit(tenant.api, "demand_response.") == [
        "demand_response.added",
        "demand_response.added",
        "demand_response.removed",
    ]
