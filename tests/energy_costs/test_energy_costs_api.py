"""Energy cost and margin of finished sessions: on the transaction, per session and per site."""

from datetime import UTC, datetime, timedelta

from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff, run_session, stamp


async def price(
    tenant: Tenant, start: datetime, end: datetime, per_kwh: str, **fields: str
) -> None:
    body = [{"starts_at": stamp(start), "ends_at": stamp(end), "price_per_kwh": per_kwh} | fields]
    response = await tenant.api.post("/energy-prices", json=body)
    assert response.status_code == 201, response.text


async def test_a_priced_session_records_its_energy_cost_and_margin(
    tenant: Tenant, stations: Stations
) -> None:
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=2)
    region = (await tenant.api.post("/locations", json={"name": "Region"})).json()["id"]
    depot = (
        await tenant.api.post("/locations", json={"name": "Depot", "parent_id": region})
    ).json()["id"]
    circuit = (
        await tenant.api.post("/circuits", json={"name": "Depot feed", "objective": "off"})
    ).json()["id"]
    tariff_id = await create_tariff(tenant)  # 0.30/kWh + 1.00 flat, 20 % tax
    station_id = await stations.register(location_id=depot)
    patched = await tenant.api.patch(
        f"/stations/{station_id}", json={"tariff_id": tariff_id, "circuit_id": circuit}
    )
    assert patched.status_code == 200, patched.text
    await price(tenant, start - timedelta(hours=1), start + timedelta(hours=1), "0.10")
    await price(
        tenant,
        start + timedelta(minutes=10),
        start + timedelta(minutes=20),
        "0.25",
        circuit_id=circuit,
    )
    tx_id = await run_session(stations, station_id, await add_tag(tenant), start=start)
    # 5 kWh in minutes 0-10 at the organization's 0.10, 5 kWh in 10-20 at the circuit's 0.25
    tx = (await tenant.api.get(f"/transactions/{tx_id}")).json()
    assert (tx["cost"]["excl_tax"], tx["energy_cost"], tx["margin"]) == ("4.00", "1.75", "2.25")
    detail = (await tenant.api.get(f"/transactions/{tx_id}/energy-cost")).json()
    assert detail == {
        "currency": "EUR",
        "energy_kwh": "10",
        "priced_kwh": "10",
        "energy_cost": "1.75",
        "revenue_excl_tax": "4.00",
        "margin": "2.25",
    }
    window = {"from": stamp(start - timedelta(hours=1)), "to": stamp(datetime.now(UTC))}
    site = await tenant.api.get(f"/locations/{region}/margin", params=window)
    assert site.status_code == 200, site.text
    assert site.json()["totals"] == [detail | {"sessions": 1}]
    later = {"from": stamp(datetime.now(UTC)), "to": stamp(datetime.now(UTC) + timedelta(hours=1))}
    assert (await tenant.api.get(f"/locations/{region}/margin", params=later)).json()[
        "totals"
    ] == []
    naive = {"from": (start - timedelta(hours=1)).replace(tzinfo=None).isoformat()}
    since_naive = await tenant.api.get(f"/locations/{region}/margin", params=naive)
    assert since_naive.status_code == 200 and since_naive.json()["totals"][0]["sessions"] == 1
    backwards = {"from": window["to"], "to": window["from"]}
    assert (
        await tenant.api.get(f"/locations/{region}/margin", params=backwards)
    ).status_code == 422


async def test_an_unpriced_session_has_no_energy_cost(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    tx_id = await run_session(stations, station_id, await add_tag(tenant))
    tx = (await tenant.api.get(f"/transactions/{tx_id}")).json()
    assert tx["energy_cost"] is None and tx["margin"] is None
    missing = await tenant.api.get(f"/transactions/{tx_id}/energy-cost")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")


async def test_another_organizations_site_is_not_found(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    foreign = (await other_tenant.api.post("/locations", json={"name": "Theirs"})).json()["id"]
    assert (await tenant.api.get(f"/locations/{foreign}/margin")).status_code == 404
    assert (await tenant.api.get("/locations/nowhere/margin")).status_code == 404
