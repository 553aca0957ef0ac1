"""The requests outside checks make of the estate and access (issue #15) and of money (issue
#11), sent with exactly the bodies those checks send, against a real server and real stations:
what each answers is what the checks rely on."""

from tests.conftest import Tenant
from tests.permissions.test_authorization import authorize_16, tag
from tests.protocol.conftest import Stations, stations
from tests.support.billing import run_session

__all__ = ["stations"]  # the fixture


async def test_the_estate_and_access_interface(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    evse = {
        "evse_id": 1,
        "connectors": [
            {
                "connector_id": 1,
                "standard": "IEC_62196_T2",
                "format": "SOCKET",
                "power_type": "AC_3_PHASE",
                "max_voltage": 230,
                "max_amperage": 32,
            }
        ],
    }
    made = await tenant.api.post(f"/stations/{station_id}/evses", json=evse)
    assert made.status_code == 201, made.text
    [connector] = made.json()["connectors"]
    assert (connector["standard"], connector["format"]) == ("IEC_62196_T2", "SOCKET")

    site = (await tenant.api.post("/locations", json={"name": tenant.unique("Site")})).json()
    bay = await tenant.api.post(
        "/locations", json={"name": tenant.unique("Bay"), "parent_id": site["id"]}
    )
    below = await stations.register(location_id=bay.json()["id"])
    listed = await tenant.api.get("/stations", params={"location_id": site["id"]})
    assert [s["id"] for s in listed.json()["items"]] == [below]

    card, fleet_card, anyone = await tag(tenant), await tag(tenant), await tag(tenant)
    group = await tenant.api.post(
        "/tag-groups", json={"name": tenant.unique("Fleet"), "id_tags": [fleet_card]}
    )
    assert group.status_code == 201, group.text
    for body in (
        {"id_tag": card, "location_id": site["id"]},
        {"tag_group_id": group.json()["id"], "station_id": station_id},
    ):
        granted = await tenant.api.post("/permissions", json=body)
        assert granted.status_code == 201, granted.text
    assert await authorize_16(stations, below, card) == "Accepted"
    assert await authorize_16(stations, station_id, card) == "Invalid"
    assert await authorize_16(stations, station_id, fleet_card) == "Accepted"
    assert await authorize_16(stations, below, fleet_card) == "Invalid"
    assert await authorize_16(stations, station_id, anyone) == "Accepted"  # no permission at all
    required = await tenant.api.patch("/organization", json={"permissions_required": True})
    assert required.status_code == 200, required.text
    assert await authorize_16(stations, station_id, anyone) == "Invalid"


async def test_the_money_interface(tenant: Tenant, stations: Stations) -> None:
    tariff = await tenant.api.post(
        "/tariffs",
        json={
            "name": "Energy only",
            "currency": "EUR",
            "elements": [
                {"price_components": [{"type": "ENERGY", "price": "0.30", "step_size": 1}]}
            ],
        },
    )
    assert tariff.status_code == 201, tariff.text
    station_id = await stations.register()
    assigned = await tenant.api.patch(
        f"/stations/{station_id}", json={"tariff_id": tariff.json()["id"]}
    )
    assert assigned.status_code == 200, assigned.text

    driver = await tenant.api.post(
        "/drivers", json={"name": "Ada", "email": f"{tenant.unique('ada')}@example.com"}
    )
    assert driver.status_code == 201, driver.text
    driver_id = driver.json()["id"]
    topped = await tenant.api.post(
        f"/drivers/{driver_id}/balance", json={"amount": "25.00", "currency": "EUR"}
    )
    assert topped.is_success, topped.text
    ledger = await tenant.api.get(f"/drivers/{driver_id}/ledger")
    assert ledger.status_code == 200 and len(ledger.json()["items"]) == 1, ledger.text

    tx_id = await run_session(stations, station_id, await tag(tenant))  # 10 kWh
    cost = (await tenant.api.get(f"/transactions/{tx_id}")).json()["cost"]
    assert (cost["excl_tax"], cost["incl_tax"], cost["currency"]) == ("3.00", "3.00", "EUR")
    cdrs = await tenant.api.get("/cdrs", params={"transaction_id": tx_id})
    assert cdrs.status_code == 200, cdrs.text
    [cdr] = cdrs.json()["items"]
    assert cdr["transaction_id"] == tx_id
