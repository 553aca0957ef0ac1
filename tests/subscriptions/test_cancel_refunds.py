"""Cancelling a subscription refunds the current period's fee on the driver's ledger: its
unused share by default, all or nothing on request, once (a retried cancel is a 409)."""

from typing import Any

from tests.conftest import Tenant
from tests.drivers.test_drivers_api import new_driver
from tests.protocol.conftest import Stations
from tests.protocol.test_v16_authorize import add_tag
from tests.subscriptions.test_subscriptions_api import activate, new_plan
from tests.support.billing import create_tariff, priced_station, run_session


async def _ledger(tenant: Tenant, driver_id: str) -> list[tuple[str, str]]:
    entries = (await tenant.api.get(f"/drivers/{driver_id}/ledger")).json()["items"]
    return [(e["kind"], e["amount"]) for e in reversed(entries)]


async def _subscribed(tenant: Tenant, **plan: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    driver = await new_driver(tenant)
    made = await new_plan(tenant, **plan)
    response = await activate(tenant, driver["id"], made["id"])
    assert response.status_code == 201, response.text
    return driver, dict(response.json())


async def test_a_cancel_refunds_the_unused_share_once(tenant: Tenant) -> None:
    driver, sub = await _subscribed(tenant)
    # Cancelled at once: all the month (and all its included kWh) is unused, 9.90 comes back.
    canceled = await tenant.api.post(f"/subscriptions/{sub['id']}/cancel")
    assert canceled.status_code == 200, canceled.text
    [period] = canceled.json()["periods"]
    entries = (await tenant.api.get(f"/drivers/{driver['id']}/ledger")).json()["items"]
    assert [(e["kind"], e["amount"]) for e in reversed(entries)] == [
        ("subscription_fee", "-9.90"),
        ("refund", "9.90"),
    ]
    assert period["refund_entry_id"] == entries[0]["id"]
    assert entries[0]["description"] == (
        "subscription Commuter, period 1: unused fee refunded at cancellation"
    )
    assert (await tenant.api.get(f"/drivers/{driver['id']}")).json()["balance"] == "0.00"
    again = await tenant.api.post(f"/subscriptions/{sub['id']}/cancel", json={"refund": "full"})
    assert again.status_code == 409
    assert len(await _ledger(tenant, driver["id"])) == 2  # nothing refunded twice
    refunds = await tenant.api.get(
        "/events", params={"type": "driver.balance_changed", "order": "asc"}
    )
    [credit] = [e["data"] for e in refunds.json()["items"] if e["data"]["kind"] == "refund"]
    assert (credit["direction"], credit["amount"], credit["balance"]) == ("credit", "9.90", "0.00")


async def test_no_refund_on_request_and_none_for_a_free_plan(tenant: Tenant) -> None:
    driver, sub = await _subscribed(tenant)
    kept = await tenant.api.post(f"/subscriptions/{sub['id']}/cancel", json={"refund": "none"})
    assert kept.status_code == 200, kept.text
    assert kept.json()["periods"][0]["refund_entry_id"] is None
    assert await _ledger(tenant, driver["id"]) == [("subscription_fee", "-9.90")]
    free_driver, free = await _subscribed(tenant, fee="0")
    assert (await tenant.api.post(f"/subscriptions/{free['id']}/cancel")).status_code == 200
    assert await _ledger(tenant, free_driver["id"]) == []


async def test_a_full_refund_and_a_refused_rule(tenant: Tenant) -> None:
    driver, sub = await _subscribed(tenant, fee="30.00")
    refused = await tenant.api.post(f"/subscriptions/{sub['id']}/cancel", json={"refund": "half"})
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    full = await tenant.api.post(f"/subscriptions/{sub['id']}/cancel", json={"refund": "full"})
    assert full.status_code == 200, full.text
    assert await _ledger(tenant, driver["id"]) == [
        ("subscription_fee", "-30.00"),
        ("refund", "30.00"),
    ]


async def test_included_energy_used_limits_the_refund(tenant: Tenant) -> None:
    station_id = await priced_station(tenant, Stations(tenant), await create_tariff(tenant))
    tag = await add_tag(tenant)
    driver = await new_driver(tenant, id_tags=[tag])
    plan = await new_plan(tenant)  # 9.90 a month, 50 kWh included
    sub = (await activate(tenant, driver["id"], plan["id"])).json()
    # A 10 kWh session uses 10 of the 50 kWh: whatever the time left, at most 4/5 of the fee
    # is unused: 7.92.
    await run_session(Stations(tenant), station_id, tag)
    canceled = (await tenant.api.post(f"/subscriptions/{sub['id']}/cancel")).json()
    assert canceled["periods"][0]["used_kwh"] == "10.000000"
    ledger = await _ledger(tenant, driver["id"])
    assert ledger[0] == ("subscription_fee", "-9.90")
    assert ledger[-1] == ("refund", "7.92")
