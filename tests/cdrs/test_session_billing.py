"""A real 1.6 session at a priced station: its cost, its CDR, the driver's ledger, a credit.

The tariff: 0.30 EUR/kWh and a 1.00 EUR flat fee, 20 % tax. The session delivers 10 kWh, so it
costs 4.00 excluding tax and 4.80 including it, and the driver's 25.00 balance becomes 20.20.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.conftest import Tenant
from tests.protocol.conftest import Stations, events_of
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff, priced_station, run_session, stamp


async def driver_with_balance(tenant: Tenant, tag: str, amount: str = "25.00") -> str:
    response = await tenant.api.post(
        "/drivers",
        json={"name": "Ada", "email": f"{tenant.unique('ada')}@example.com", "id_tags": [tag]},
    )
    assert response.status_code == 201, response.text
    driver_id = str(response.json()["id"])
    topped = await tenant.api.post(
        f"/drivers/{driver_id}/balance", json={"amount": amount, "currency": "EUR"}
    )
    assert topped.status_code == 201, topped.text
    return driver_id


async def only_cdr(tenant: Tenant, tx_id: int) -> dict[str, Any]:
    response = await tenant.api.get("/cdrs", params={"transaction_id": tx_id})
    assert response.status_code == 200, response.text
    [cdr] = response.json()["items"]
    return dict(cdr)


async def test_a_finished_session_has_its_cost_and_cdr(tenant: Tenant, stations: Stations) -> None:
    tariff_id = await create_tariff(tenant)
    station_id = await priced_station(tenant, stations, tariff_id)
    tag = await add_tag(tenant)
    tx_id = await run_session(stations, station_id, tag)

    tx = (await tenant.api.get(f"/transactions/{tx_id}")).json()
    assert tx["cost"]["currency"] == "EUR"
    assert (tx["cost"]["excl_tax"], tx["cost"]["incl_tax"]) == ("4.00", "4.80")
    assert tx["cost"]["final"] is True and tx["cost"]["tariff_id"] == tariff_id

    cdr = await only_cdr(tenant, tx_id)
    assert (cdr["total_excl_tax"], cdr["total_incl_tax"]) == ("4.00", "4.80")
    document = cdr["document"]
    assert document["total_cost"] == {"excl_vat": "4.00", "incl_vat": "4.80"}
    assert document["total_energy"] == "10.000000"
    assert document["total_parking_time"] == "0.166667"
    assert document["total_energy_cost"] == {"excl_vat": "3.00", "incl_vat": "3.60"}
    assert document["total_fixed_cost"] == {"excl_vat": "1.00", "incl_vat": "1.20"}
    assert [p["dimensions"][1]["type"] for p in document["charging_periods"]] == [
        "TIME",
        "PARKING_TIME",
    ]
    assert document["tariffs"][0]["id"] == tariff_id
    assert document["cdr_token"]["uid"] == tag
    assert (await tenant.api.get(f"/cdrs/{cdr['id']}")).json() == cdr

    [created] = await events_of(tenant.server, station_id, "cdr.created")
    assert created["cdr_id"] == cdr["id"] and created["total_incl_tax"] == "4.80"
    updates = await events_of(tenant.server, station_id, "session.cost_updated")
    assert updates[-1]["final"] is True and updates[-1]["incl_tax"] == "4.80"
    assert any(not update["final"] for update in updates)  # the live cost while it ran


async def test_the_session_is_charged_to_the_driver_and_a_credit_refunds_it(
    tenant: Tenant, stations: Stations
) -> None:
    tariff_id = await create_tariff(tenant)
    station_id = await priced_station(tenant, stations, tariff_id)
    tag = await add_tag(tenant)
    driver_id = await driver_with_balance(tenant, tag)
    tx_id = await run_session(stations, station_id, tag)

    ledger = (await tenant.api.get(f"/drivers/{driver_id}/ledger")).json()["items"]
    assert [(e["kind"], e["amount"]) for e in ledger] == [
        ("session_charge", "-4.80"),
        ("top_up", "25.00"),
    ]
    assert (await tenant.api.get(f"/drivers/{driver_id}")).json()["balance"] == "20.20"

    cdr = await only_cdr(tenant, tx_id)
    assert cdr["driver_id"] == driver_id
    credit = await tenant.api.post(f"/cdrs/{cdr['id']}/credit", json={"remark": "broken cable"})
    assert credit.status_code == 201, credit.text
    assert credit.json()["credit_reference_id"] == cdr["id"]
    assert credit.json()["document"]["total_cost"] == {"excl_vat": "-4.00", "incl_vat": "-4.80"}
    again = await tenant.api.post(f"/cdrs/{cdr['id']}/credit")
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert (await tenant.api.get(f"/drivers/{driver_id}")).json()["balance"] == "25.00"
    listed = (await tenant.api.get("/cdrs", params={"transaction_id": tx_id})).json()
    assert {c["credit"] for c in listed["items"]} == {True, False}


async def test_a_new_tariff_version_leaves_a_running_session_alone(
    tenant: Tenant, stations: Stations
) -> None:
    tariff_id = await create_tariff(tenant)
    station_id = await priced_station(tenant, stations, tariff_id)
    tag = await add_tag(tenant)
    start = datetime.now(UTC) + timedelta(seconds=1)  # after version 1 came into force
    async with stations.booted(station_id) as station:
        started = await station.ok(
            "StartTransaction",
            {"connectorId": 1, "idTag": tag, "meterStart": 0, "timestamp": stamp(start)},
        )
        changed = await tenant.api.patch(
            f"/tariffs/{tariff_id}",
            json={"elements": [{"price_components": [{"type": "ENERGY", "price": "0.99"}]}]},
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["version"] == 2
        await station.ok(
            "StopTransaction",
            {
                "transactionId": started["transactionId"],
                "meterStop": 10_000,
                "timestamp": stamp(start + timedelta(minutes=30)),
            },
        )
    versions = (await tenant.api.get(f"/tariffs/{tariff_id}/versions")).json()["items"]
    assert [v["version"] for v in versions] == [1, 2]
    cost = (await tenant.api.get(f"/transactions/{started['transactionId']}")).json()["cost"]
    assert (cost["tariff_version"], cost["excl_tax"], cost["incl_tax"]) == (1, "4.00", "4.80")
    # A session that starts after the change is priced with version 2: 10 kWh at 0.99 + 20 %.
    later = datetime.now(UTC) + timedelta(seconds=1)
    async with stations.booted(station_id) as station:
        again = await station.ok(
            "StartTransaction",
            {"connectorId": 1, "idTag": tag, "meterStart": 0, "timestamp": stamp(later)},
        )
        await station.ok(
            "StopTransaction",
            {
                "transactionId": again["transactionId"],
                "meterStop": 10_000,
                "timestamp": stamp(later + timedelta(minutes=30)),
            },
        )
    cost = (await tenant.api.get(f"/transactions/{again['transactionId']}")).json()["cost"]
    assert (cost["tariff_version"], cost["excl_tax"], cost["incl_tax"]) == (2, "9.90", "11.88")


async def test_cdrs_are_scoped_to_the_organization(
    tenant: Tenant, other_tenant: Tenant, stations: Stations
) -> None:
    tariff_id = await create_tariff(tenant)
    station_id = await priced_station(tenant, stations, tariff_id)
    tx_id = await run_session(stations, station_id, await add_tag(tenant))
    cdr = await only_cdr(tenant, tx_id)
    assert (await other_tenant.api.get(f"/cdrs/{cdr['id']}")).status_code == 404
    listed = (await other_tenant.api.get("/cdrs", params={"transaction_id": tx_id})).json()
    assert listed["items"] == []
    foreign = await other_tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": tariff_id})
    assert foreign.status_code == 404
