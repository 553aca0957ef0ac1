"""/api/v1/circuits: the tree's rules (no loop, no deletion under children or stations), its
events, and another organization's circuits unseen."""

from tests.api.factories import create, created
from tests.api.test_errors import problem
from tests.conftest import Tenant
from tests.support.payloads import recorded_fit


async def test_a_circuit_tree_is_built_changed_and_taken_down(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    site = await created(tenant.api, "/circuits", {"name": "Site", "max_power_kw": 100})
    hall = await created(
        tenant.api, "/circuits", {"name": "Hall", "max_power_kw": 40, "parent_id": site["id"]}
    )
    listed = (await tenant.api.get("/circuits", params={"parent_id": site["id"]})).json()
    assert [c["id"] for c in listed["items"]] == [hall["id"]]

    loop = await tenant.api.patch(f"/circuits/{site['id']}", json={"parent_id": hall["id"]})
    assert "below itself" in problem(loop, 422)["detail"]
    buffer = await tenant.api.patch(f"/circuits/{hall['id']}", json={"buffer_kw": 40})
    assert "buffer_kw" in problem(buffer, 422)["detail"]
    raised = await tenant.api.patch(f"/circuits/{hall['id']}", json={"max_power_kw": 50})
    assert raised.status_code == 200 and raised.json()["max_power_kw"] == 50
    problem(await other_tenant.api.get(f"/circuits/{hall['id']}"), 404)

    problem(await tenant.api.delete(f"/circuits/{site['id']}"), 409)  # Hall hangs below
    station = await create(tenant, "stations")
    moved = await tenant.api.patch(f"/stations/{station['id']}", json={"circuit_id": hall["id"]})
    assert moved.status_code == 200, moved.text
    problem(await tenant.api.delete(f"/circuits/{hall['id']}"), 409)  # a station hangs on it
    await tenant.api.patch(f"/stations/{station['id']}", json={"circuit_id": None})
    assert (await tenant.api.delete(f"/circuits/{hall['id']}")).status_code == 204
    assert (await tenant.api.delete(f"/circuits/{site['id']}")).status_code == 204

    assert await recorded_fit(tenant.api, "circuit.") == [
        "circuit.created",
        "circuit.created",
        "circuit.updated",
        "circuit.deleted",
        "circuit.deleted",
    ]
