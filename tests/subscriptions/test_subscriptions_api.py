"""Plans and subscriptions over REST: activation books the fee, one active subscription per
driver, cancelling, auto-renew, and what viewers may do."""

import asyncio
from typing import Any

from tests.conftest import Tenant, make_tenant
from tests.drivers.test_drivers_api import new_driver
from tests.support.server import RunningServer


async def new_plan(tenant: Tenant, **fields: Any) -> dict[str, Any]:
    body = {"name": "Commuter", "fee": "9.90", "currency": "EUR", "included_kwh": "50"}
    response = await tenant.api.post("/subscription-plans", json=body | fields)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def activate(tenant: Tenant, driver_id: str, plan_id: str, **fields: Any) -> Any:
    return await tenant.api.post(
        f"/drivers/{driver_id}/subscriptions", json={"plan_id": plan_id} | fields
    )


async def changes(tenant: Tenant, subscription_id: str) -> list[dict[str, Any]]:
    events = await tenant.api.get("/events", params={"type": "subscription.changed"})
    return [
        e["data"]
        for e in reversed(events.json()["items"])
        if e["data"]["subscription_id"] == subscription_id
    ]


async def test_activation_books_the_fee_and_opens_the_first_period(tenant: Tenant) -> None:
    plan = await new_plan(tenant, discount_percent="10")
    assert (plan["fee"], plan["included_kwh"], plan["discount_percent"], plan["status"]) == (
        "9.90",
        "50.000000",
        "10",
        "active",
    )
    driver = await new_driver(tenant)
    response = await activate(tenant, driver["id"], plan["id"])
    assert response.status_code == 201, response.text
    sub = response.json()
    assert (sub["status"], sub["auto_renew"], sub["period_number"]) == ("active", True, 1)
    [period] = sub["periods"]
    assert (period["number"], period["fee"], period["used_kwh"]) == (1, "9.90", "0.000000")
    [entry] = (await tenant.api.get(f"/drivers/{driver['id']}/ledger")).json()["items"]
    assert (entry["kind"], entry["amount"], entry["id"]) == (
        "subscription_fee",
        "-9.90",
        period["fee_entry_id"],
    )
    assert (await tenant.api.get(f"/drivers/{driver['id']}")).json()["balance"] == "-9.90"
    [changed] = await changes(tenant, sub["id"])
    assert (changed["status"], changed["change"], changed["driver_id"]) == (
        "active",
        "activated",
        driver["id"],
    )
    assert (await tenant.api.get(f"/subscriptions/{sub['id']}")).json() == sub
    listed = (await tenant.api.get(f"/drivers/{driver['id']}/subscriptions")).json()
    assert [s["id"] for s in listed["items"]] == [sub["id"]]


async def test_one_active_subscription_and_the_refusals(tenant: Tenant) -> None:
    plan = await new_plan(tenant)
    driver = await new_driver(tenant)
    assert (await activate(tenant, driver["id"], plan["id"])).status_code == 201
    second = await activate(tenant, driver["id"], plan["id"])
    assert second.status_code == 409
    assert second.headers["content-type"].startswith("application/problem+json")
    prepaid = await new_driver(tenant, payment_mode="prepaid")
    assert (await activate(tenant, prepaid["id"], plan["id"])).status_code == 409  # no balance
    await tenant.api.post(
        f"/drivers/{prepaid['id']}/balance", json={"amount": "9.90", "currency": "EUR"}
    )
    assert (await activate(tenant, prepaid["id"], plan["id"])).status_code == 201
    dollars = await new_plan(tenant, currency="USD")
    assert (
        await activate(tenant, (await new_driver(tenant))["id"], dollars["id"])
    ).status_code == 422
    assert (await activate(tenant, driver["id"], "no-such-plan")).status_code == 422
    assert (await activate(tenant, "nobody", plan["id"])).status_code == 404
    retired = await new_plan(tenant)
    patched = await tenant.api.patch(
        f"/subscription-plans/{retired['id']}", json={"status": "retired"}
    )
    assert patched.json()["status"] == "retired"
    assert (
        await activate(tenant, (await new_driver(tenant))["id"], retired["id"])
    ).status_code == 409
    for body in (
        {"name": "x", "fee": "-1", "currency": "EUR"},
        {"name": "x", "fee": "1", "currency": "EUR", "discount_percent": "101"},
        {"name": "x", "fee": "1", "currency": "EUR", "included_kwh": "0"},
        {"name": "x", "fee": "1.0000001", "currency": "EUR"},
        {"name": "", "fee": "1", "currency": "EUR"},
    ):
        response = await tenant.api.post("/subscription-plans", json=body)
        assert response.status_code == 422, (body, response.text)
    assert (
        await tenant.api.patch(f"/subscription-plans/{plan['id']}", json={"fee": "1"})
    ).status_code == 422  # a plan's price is what drivers subscribed to


async def test_cancel_and_auto_renew(tenant: Tenant) -> None:
    plan = await new_plan(tenant, fee="0")
    driver = await new_driver(tenant)
    sub = (await activate(tenant, driver["id"], plan["id"], auto_renew=False)).json()
    assert sub["auto_renew"] is False and sub["periods"][0]["fee_entry_id"] is None  # free plan
    patched = await tenant.api.patch(f"/subscriptions/{sub['id']}", json={"auto_renew": True})
    assert patched.status_code == 200 and patched.json()["auto_renew"] is True
    canceled = await tenant.api.post(f"/subscriptions/{sub['id']}/cancel")
    assert canceled.status_code == 200, canceled.text
    assert (canceled.json()["status"], canceled.json()["end_reason"]) == ("canceled", "canceled")
    assert (await tenant.api.post(f"/subscriptions/{sub['id']}/cancel")).status_code == 409
    assert (
        await tenant.api.patch(f"/subscriptions/{sub['id']}", json={"auto_renew": False})
    ).status_code == 409
    assert [c["change"] for c in await changes(tenant, sub["id"])] == [
        "activated",
        "auto_renew_changed",
        "canceled",
    ]
    # A new subscription once the old one has ended.
    assert (await activate(tenant, driver["id"], plan["id"])).status_code == 201
    listed = await tenant.api.get("/subscriptions", params={"driver_id": driver["id"]})
    assert [s["status"] for s in listed.json()["items"]] == ["active", "canceled"]


async def test_viewers_read_and_operators_act(tenant: Tenant, server: RunningServer) -> None:
    plan = await new_plan(tenant)
    async for viewer in make_tenant(server, role="viewer"):
        assert (await viewer.api.get("/subscription-plans")).status_code == 200
        refused = await viewer.api.post(
            "/subscription-plans", json={"name": "x", "fee": "1", "currency": "EUR"}
        )
        assert refused.status_code == 403
        assert (await viewer.api.get(f"/subscription-plans/{plan['id']}")).status_code == 404
        assert (
            await viewer.api.post(
                "/vouchers",
                json={"code": "VIEWER-1", "kind": "amount", "amount": "1", "currency": "EUR"},
            )
        ).status_code == 403


async def test_a_driver_with_a_free_subscription_or_a_held_voucher_is_kept(tenant: Tenant) -> None:
    plan = await new_plan(tenant, fee="0")
    subscribed = await new_driver(tenant)
    assert (await activate(tenant, subscribed["id"], plan["id"])).status_code == 201
    holder = await new_driver(tenant)
    code = tenant.unique("PCT")
    await tenant.api.post(
        "/vouchers", json={"code": code, "kind": "percentage", "percent": "5", "currency": "EUR"}
    )
    held = await tenant.api.post(f"/drivers/{holder['id']}/vouchers", json={"code": code})
    assert held.json()["status"] == "pending"
    for driver in (subscribed, holder):  # no ledger entry, but a billing record all the same
        response = await tenant.api.delete(f"/drivers/{driver['id']}")
        assert response.status_code == 409, response.text
    assert (
        await tenant.api.delete(f"/drivers/{(await new_driver(tenant))['id']}")
    ).status_code == 204


async def test_concurrent_activations_for_one_driver_one_wins(tenant: Tenant) -> None:
    plan = await new_plan(tenant)
    driver = await new_driver(tenant)
    answers = await asyncio.gather(*(activate(tenant, driver["id"], plan["id"]) for _ in range(4)))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409], [a.text for a in answers]
    assert (await tenant.api.get(f"/drivers/{driver['id']}")).json()["balance"] == "-9.90"
