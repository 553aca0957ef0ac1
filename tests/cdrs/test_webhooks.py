"""Billing events reach webhook subscribers like every other event."""

from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff, priced_station, run_session
from tests.webhooks.conftest import Verify, subscribe
from tests.webhooks.receiver import Receiver


async def test_cdr_and_cost_events_are_delivered(
    hooks: Tenant, receiver: Receiver, verify: Verify
) -> None:
    sub = await subscribe(hooks, receiver.url, ["cdr.*", "session.cost_updated"])
    stations = Stations(hooks)
    station_id = await priced_station(hooks, stations, await create_tariff(hooks))
    tx_id = await run_session(stations, station_id, await add_tag(hooks))
    await receiver.wait_for(lambda: len(receiver.delivered("cdr.created")) == 1)
    [cdr] = receiver.delivered("cdr.created")
    assert verify(sub["secret"], cdr.headers, cdr.body)
    assert cdr.json["transaction_id"] == tx_id
    assert cdr.json["data"]["total_incl_tax"] == "4.80"
    costs = receiver.delivered("session.cost_updated")
    assert costs and costs[-1].json["data"]["final"] is True


async def test_a_balance_change_is_delivered(hooks: Tenant, receiver: Receiver) -> None:
    await subscribe(hooks, receiver.url, ["driver.balance_changed"])
    driver = await hooks.api.post("/drivers", json={"name": "Bo", "email": "bo@example.com"})
    driver_id = driver.json()["id"]
    await hooks.api.post(f"/drivers/{driver_id}/balance", json={"amount": "10", "currency": "EUR"})
    await receiver.wait_for(lambda: len(receiver.delivered("driver.balance_changed")) == 1)
    [item] = receiver.delivered("driver.balance_changed")
    assert item.json["station_id"] is None
    assert item.json["data"]["balance"] == "10.00" and item.json["data"]["direction"] == "credit"


async def test_subscription_changes_and_their_fees_are_delivered(
    hooks: Tenant, receiver: Receiver
) -> None:
    await subscribe(hooks, receiver.url, ["subscription.changed", "driver.balance_changed"])
    driver = await hooks.api.post("/drivers", json={"name": "Cy", "email": "cy@example.com"})
    plan = await hooks.api.post(
        "/subscription-plans", json={"name": "Gold", "fee": "19.00", "currency": "EUR"}
    )
    sub = await hooks.api.post(
        f"/drivers/{driver.json()['id']}/subscriptions", json={"plan_id": plan.json()["id"]}
    )
    await hooks.api.post(f"/subscriptions/{sub.json()['id']}/cancel")
    await receiver.wait_for(lambda: len(receiver.delivered("subscription.changed")) == 2)
    statuses = [i.json["data"]["status"] for i in receiver.delivered("subscription.changed")]
    assert statuses == ["active", "canceled"]
    # The fee, then its refund: cancelled at once, the whole period is unused.
    await receiver.wait_for(lambda: len(receiver.delivered("driver.balance_changed")) == 2)
    fee, refund = receiver.delivered("driver.balance_changed")
    assert (fee.json["data"]["kind"], fee.json["data"]["direction"]) == (
        "subscription_fee",
        "debit",
    )
    assert (fee.json["data"]["amount"], fee.json["data"]["balance"]) == ("19.00", "-19.00")
    assert (refund.json["data"]["kind"], refund.json["data"]["direction"]) == ("refund", "credit")
    assert (refund.json["data"]["amount"], refund.json["data"]["balance"]) == ("19.00", "0.00")
