"""/api/v1/tariffs: the contract's shape, validation, versions, and where a tariff applies."""

from typing import Any

import pytest

from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff, priced_station, run_session

ENERGY = {"price_components": [{"type": "ENERGY", "price": "0.30", "step_size": 1}]}


async def test_the_contract_body_creates_a_tariff(tenant: Tenant) -> None:
    response = await tenant.api.post(
        "/tariffs", json={"name": "Basic", "currency": "EUR", "elements": [ENERGY]}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"] and body["version"] == 1 and body["currency"] == "EUR"
    assert body["elements"][0]["price_components"][0] == {
        "type": "ENERGY",
        "price": "0.30",
        "step_size": 1,
        "vat": None,
    }
    assert response.headers["location"] == f"/api/v1/tariffs/{body['id']}"
    assert (await tenant.api.get(f"/tariffs/{body['id']}")).json() == body
    listed = (await tenant.api.get("/tariffs")).json()
    assert [t["id"] for t in listed["items"]] == [body["id"]]


@pytest.mark.parametrize(
    "change",
    [
        {"currency": "euro"},
        {"elements": []},
        {"elements": [{"price_components": []}]},
        {"elements": [{"price_components": [{"type": "KWH", "price": "1"}]}]},
        {"elements": [{"price_components": [{"type": "ENERGY", "price": "-1"}]}]},
        {"elements": [{"price_components": [{"type": "TIME", "price": "1", "step_size": 0}]}]},
        {"elements": [{"price_components": [{"type": "ENERGY", "price": "x"}]}]},
        {"elements": [{**ENERGY, "restrictions": {"start_time": "25:00"}}]},
        {"elements": [{**ENERGY, "restrictions": {"min_kwh": "10", "max_kwh": "5"}}]},
        {"elements": [{**ENERGY, "restrictions": {"day_of_week": ["FUNDAY"]}}]},
        {"tax_rate": "101"},
        {"min_price": "5", "max_price": "1"},
        {
            "elements": [
                {
                    "price_components": [
                        {"type": "ENERGY", "price": "1"},
                        {"type": "ENERGY", "price": "2"},
                    ]
                }
            ]
        },
        {"surprise": True},
    ],
)
async def test_a_broken_tariff_is_refused(tenant: Tenant, change: dict[str, Any]) -> None:
    body = {"name": "Broken", "currency": "EUR", "elements": [ENERGY]} | change
    response = await tenant.api.post("/tariffs", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_a_price_change_is_a_new_version_and_a_rename_is_not(tenant: Tenant) -> None:
    tariff_id = await create_tariff(tenant)
    renamed = await tenant.api.patch(f"/tariffs/{tariff_id}", json={"name": "Renamed"})
    assert renamed.json()["version"] == 1 and renamed.json()["name"] == "Renamed"
    repriced = await tenant.api.patch(f"/tariffs/{tariff_id}", json={"tax_rate": "7"})
    assert repriced.status_code == 200, repriced.text
    assert (repriced.json()["version"], repriced.json()["tax_rate"]) == (2, "7")
    assert repriced.json()["elements"][0]["price_components"][1]["type"] == "FLAT"
    versions = (await tenant.api.get(f"/tariffs/{tariff_id}/versions")).json()["items"]
    assert [v["definition"]["tax_rate"] for v in versions] == ["20", "7"]


async def test_the_organization_default_prices_unassigned_stations(
    tenant: Tenant, stations: Stations
) -> None:
    first = await create_tariff(tenant, is_default=True)
    second = await create_tariff(tenant, is_default=True)
    assert (await tenant.api.get(f"/tariffs/{first}")).json()["is_default"] is False
    station_id = await stations.register()
    tx_id = await run_session(stations, station_id, await add_tag(tenant))
    cost = (await tenant.api.get(f"/transactions/{tx_id}")).json()["cost"]
    assert cost["tariff_id"] == second and cost["incl_tax"] == "4.80"


async def test_a_location_tariff_prices_its_stations_and_the_station_wins(
    tenant: Tenant, stations: Stations
) -> None:
    site = (await tenant.api.post("/locations", json={"name": "Depot"})).json()["id"]
    location_tariff = await create_tariff(tenant)
    assigned = await tenant.api.patch(f"/locations/{site}", json={"tariff_id": location_tariff})
    assert assigned.status_code == 200 and assigned.json()["tariff_id"] == location_tariff
    station_id = await stations.register(location_id=site)
    tx_id = await run_session(stations, station_id, await add_tag(tenant))
    tx = (await tenant.api.get(f"/transactions/{tx_id}")).json()
    assert tx["cost"]["tariff_id"] == location_tariff
    own = await create_tariff(
        tenant, elements=[{"price_components": [{"type": "FLAT", "price": "2.00"}]}]
    )
    await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": own})
    tx_id = await run_session(stations, station_id, await add_tag(tenant))
    cost = (await tenant.api.get(f"/transactions/{tx_id}")).json()["cost"]
    assert (cost["tariff_id"], cost["incl_tax"]) == (own, "2.40")


async def test_an_unpriced_session_has_no_cost_and_no_cdr(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    tx_id = await run_session(stations, station_id, await add_tag(tenant))
    assert (await tenant.api.get(f"/transactions/{tx_id}")).json()["cost"] is None
    assert (await tenant.api.get("/cdrs", params={"transaction_id": tx_id})).json()["items"] == []


async def test_a_tariff_in_use_cannot_be_deleted(tenant: Tenant, stations: Stations) -> None:
    tariff_id = await create_tariff(tenant)
    station_id = await stations.register()
    await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": tariff_id})
    assert (await tenant.api.delete(f"/tariffs/{tariff_id}")).status_code == 409
    await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": None})
    assert (await tenant.api.delete(f"/tariffs/{tariff_id}")).status_code == 204
    assert (await tenant.api.get(f"/tariffs/{tariff_id}")).status_code == 404


async def test_only_an_own_tariff_can_be_assigned(
    tenant: Tenant, other_tenant: Tenant, stations: Stations
) -> None:
    foreign = await create_tariff(other_tenant)
    station_id = await stations.register()
    response = await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": foreign})
    assert response.status_code == 422
    assert (await tenant.api.get(f"/tariffs/{foreign}")).status_code == 404


async def test_an_evse_tariff_beats_the_station_tariff(
    tenant: Tenant, other_tenant: Tenant, stations: Stations
) -> None:
    station_tariff = await create_tariff(tenant)
    evse_tariff = await create_tariff(
        tenant, elements=[{"price_components": [{"type": "FLAT", "price": "3.00"}]}]
    )
    station_id = await priced_station(tenant, stations, station_tariff)
    planned = await tenant.api.post(f"/stations/{station_id}/evses", json={"evse_id": 1})
    assert planned.status_code == 201, planned.text
    foreign = await create_tariff(other_tenant)
    refused = await tenant.api.patch(f"/stations/{station_id}/evses/1", json={"tariff_id": foreign})
    assert refused.status_code == 422
    assigned = await tenant.api.patch(
        f"/stations/{station_id}/evses/1", json={"tariff_id": evse_tariff}
    )
    assert assigned.status_code == 200, assigned.text
    assert assigned.json()["tariff_id"] == evse_tariff
    assert (await tenant.api.get(f"/stations/{station_id}/evses/1")).json()["tariff_id"] == (
        evse_tariff
    )
    tx_id = await run_session(stations, station_id, await add_tag(tenant))
    cost = (await tenant.api.get(f"/transactions/{tx_id}")).json()["cost"]
    assert (cost["tariff_id"], cost["incl_tax"]) == (evse_tariff, "3.60")
    assert (await tenant.api.delete(f"/tariffs/{evse_tariff}")).status_code == 409
    cleared = await tenant.api.patch(f"/stations/{station_id}/evses/1", json={"tariff_id": None})
    assert cleared.json()["tariff_id"] is None


async def test_an_idle_fee_bills_parking_after_charging_beyond_the_grace_period(
    tenant: Tenant, stations: Stations
) -> None:
    idle = {"price": "6.00", "grace_minutes": 5, "step_size": 60}
    refused = await tenant.api.post(
        "/tariffs",
        json={"name": "x", "currency": "EUR", "elements": [ENERGY], "idle_fee": {"price": "-1"}},
    )
    assert refused.status_code == 422
    tariff_id = await create_tariff(tenant, idle_fee=idle)
    shown = (await tenant.api.get(f"/tariffs/{tariff_id}")).json()["idle_fee"]
    assert shown == idle | {"vat": None}
    station_id = await priced_station(tenant, stations, tariff_id)
    tx_id = await run_session(stations, station_id, await add_tag(tenant))
    cost = (await tenant.api.get(f"/transactions/{tx_id}")).json()["cost"]
    # 10 kWh at 0.30 + 1.00 flat + 5 of the 10 parked minutes at 6.00/h, plus 20 % tax
    assert (cost["excl_tax"], cost["incl_tax"]) == ("4.50", "5.40")
    cdr = (await tenant.api.get("/cdrs", params={"transaction_id": tx_id})).json()["items"][0]
    assert cdr["document"]["total_idle_cost"] == {"excl_vat": "0.50", "incl_vat": "0.60"}
    assert cdr["document"]["total_idle_time"] == "0.083333"
    unchanged = await tenant.api.patch(f"/tariffs/{tariff_id}", json={"idle_fee": None})
    assert unchanged.json()["version"] == 2 and unchanged.json()["idle_fee"] is None
