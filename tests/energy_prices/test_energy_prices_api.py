"""/api/v1/energy-prices: added in bulk (for the organization or a circuit of its own), listed
by start, removed, with their events."""

from tests.api.factories import created
from tests.api.test_errors import problem
from tests.conftest import Tenant
from tests.support.payloads import recorded_fit


def _price(day: int, price: str, circuit_id: str | None = None) -> dict[str, object]:
    return {
        "starts_at": f"2030-01-0{day}T00:00:00Z",
        "ends_at": f"2030-01-0{day}T12:00:00Z",
        "price_per_kwh": price,
        "circuit_id": circuit_id,
    }


async def test_prices_are_added_listed_and_removed(tenant: Tenant, other_tenant: Tenant) -> None:
    hall = await created(tenant.api, "/circuits", {"name": "Hall", "max_power_kw": 50})
    added = await tenant.api.post(
        "/energy-prices", json=[_price(2, "0.30", hall["id"]), _price(1, "0.25")]
    )
    assert added.status_code == 201, added.text
    listed = (await tenant.api.get("/energy-prices")).json()["items"]
    assert [p["price_per_kwh"] for p in listed] == ["0.250000", "0.300000"]
    problem(await other_tenant.api.post("/energy-prices", json=[_price(1, "1", hall["id"])]), 404)

    price_id = listed[0]["id"]
    problem(await other_tenant.api.delete(f"/energy-prices/{price_id}"), 404)
    assert (await tenant.api.delete(f"/energy-prices/{price_id}")).status_code == 204
    problem(await tenant.api.delete(f"/energy-prices/{price_id}"), 404)
    assert await recorded_fit(tenant.api, "energy_price.") == [
        "energy_price.added",
        "energy_price.removed",
    ]
