"""Subscription plans and a driver's subscriptions on the dashboard: plans listed as
`/api/v1/subscription-plans` lists them, created and retired by operators, and drivers
subscribed, switched and cancelled through the REST API's rules."""

from typing import Any

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user


async def new_plan(tenant: Tenant, **body: Any) -> dict[str, Any]:
    made = await tenant.api.post("/subscription-plans", json={"currency": "EUR"} | body)
    assert made.status_code == 201, made.text
    return dict(made.json())


async def new_driver(tenant: Tenant, **body: Any) -> str:
    email = f"{tenant.unique('driver')}@example.com"
    made = await tenant.api.post("/drivers", json={"name": "Ada", "email": email} | body)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def test_viewers_read_plans_and_subscriptions_and_may_not_change_them(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    gold = await new_plan(
        tenant, name="Gold", fee="19.00", included_kwh="100", discount_percent="10.5"
    )
    await new_plan(tenant, name="Old", fee="5")
    retired = await tenant.api.patch(
        f"/subscription-plans/{(await new_plan(tenant, name='Bronze', fee='1'))['id']}",
        json={"status": "retired"},
    )
    assert retired.status_code == 200, retired.text
    await new_plan(other_tenant, name="Theirs", fee="3")
    driver_id = await new_driver(tenant)
    subscribed = await tenant.api.post(
        f"/drivers/{driver_id}/subscriptions", json={"plan_id": gold["id"]}
    )
    sub_id = subscribed.json()["id"]
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/subscription-plans")
        only_retired = await client.get("/subscription-plans", params={"status": "retired"})
        driver = await client.get(f"/drivers/{driver_id}")
        csrf = hidden(listing.text, "csrf_token")
        refused = [
            await client.post(path, data={"csrf_token": csrf} | data)
            for path, data in (
                ("/subscription-plans", {"name": "V", "fee": "1", "currency": "EUR"}),
                (f"/subscription-plans/{gold['id']}", {"status": "retired"}),
                (f"/drivers/{driver_id}/subscriptions", {"plan_id": gold["id"]}),
                (f"/subscriptions/{sub_id}/auto-renew", {"auto_renew": "false"}),
                (f"/subscriptions/{sub_id}/cancel", {}),
            )
        ]
    assert listing.status_code == 200 and "3 plans" in listing.text
    assert "19.00 EUR" in listing.text and "100 kWh" in listing.text
    assert "10.5 %" in listing.text and "Theirs" not in listing.text
    assert "1 plan," in only_retired.text and "Bronze" in only_retired.text
    assert 'id="plan-new"' not in listing.text and "Retire</button>" not in listing.text
    assert 'href="/subscription-plans"' in driver.text and "Gold" in driver.text
    assert 'id="driver-subscribe"' not in driver.text and "Cancel now" not in driver.text
    assert [r.status_code for r in refused] == [403] * 5
    assert (await tenant.api.get(f"/subscriptions/{sub_id}")).json()["status"] == "active"


async def test_an_operator_manages_plans_and_a_driver_s_subscription(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    foreign_plan = await new_plan(other_tenant, name="Elsewhere", fee="2")
    operator = await make_user(tenant, "operator")
    driver_id = await new_driver(tenant)
    prepaid = await new_driver(tenant, payment_mode="prepaid")
    dollars = await new_plan(tenant, name="Dollar", fee="4", currency="USD")
    plan = {
        "name": "Commuter",
        "fee": "9.90",
        "currency": "EUR",
        "included_kwh": "50",
        "discount_percent": "",
        "description": "for daily drivers",
    }
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/subscription-plans")
        csrf = hidden(listing.text, "csrf_token")
        made = await client.post("/subscription-plans", data=plan | {"csrf_token": csrf})
        negative = await client.post(
            "/subscription-plans", data=plan | {"csrf_token": csrf, "fee": "-1"}
        )
        bad_currency = await client.post(
            "/subscription-plans", data=plan | {"csrf_token": csrf, "currency": "eur"}
        )
        too_much = await client.post(
            "/subscription-plans", data=plan | {"csrf_token": csrf, "discount_percent": "101"}
        )
        plans = (await tenant.api.get("/subscription-plans")).json()["items"]
        commuter = next(p for p in plans if p["name"] == "Commuter")
        page = await client.get(f"/drivers/{driver_id}")
        subscribe = f"/drivers/{driver_id}/subscriptions"
        subscribed = await client.post(
            subscribe, data={"csrf_token": csrf, "plan_id": commuter["id"]}
        )
        twice = await client.post(
            subscribe, data={"csrf_token": csrf, "plan_id": commuter["id"], "renew": "1"}
        )
        other_currency = await client.post(
            subscribe, data={"csrf_token": csrf, "plan_id": dollars["id"], "renew": "1"}
        )
        not_our_plan = await client.post(
            subscribe, data={"csrf_token": csrf, "plan_id": foreign_plan["id"]}
        )
        unpaid = await client.post(
            f"/drivers/{prepaid}/subscriptions",
            data={"csrf_token": csrf, "plan_id": commuter["id"], "renew": "1"},
        )
        sub = (await tenant.api.get(f"/drivers/{driver_id}/subscriptions")).json()["items"][0]
        renew = f"/subscriptions/{sub['id']}/auto-renew"
        renewing = await client.post(renew, data={"csrf_token": csrf, "auto_renew": "true"})
        subscribed_page = await client.get(f"/drivers/{driver_id}")
        cancelled = await client.post(
            f"/subscriptions/{sub['id']}/cancel", data={"csrf_token": csrf}
        )
        cancelled_again = await client.post(
            f"/subscriptions/{sub['id']}/cancel", data={"csrf_token": csrf}
        )
        renew_ended = await client.post(renew, data={"csrf_token": csrf, "auto_renew": "false"})
        retire = await client.post(
            f"/subscription-plans/{commuter['id']}", data={"csrf_token": csrf, "status": "retired"}
        )
        retired_plan = await client.post(
            subscribe, data={"csrf_token": csrf, "plan_id": commuter["id"]}
        )
        retired_page = await client.get(f"/drivers/{driver_id}")
        foreign_retire = await client.post(
            f"/subscription-plans/{foreign_plan['id']}",
            data={"csrf_token": csrf, "status": "retired"},
        )
        bad_status = await client.post(
            f"/subscription-plans/{commuter['id']}", data={"csrf_token": csrf, "status": "gone"}
        )
        after = await client.get("/subscription-plans")
    assert 'id="plan-new"' in listing.text
    assert made.status_code == 303 and made.headers["location"] == "/subscription-plans"
    assert negative.status_code == 422 and bad_currency.status_code == 422
    assert too_much.status_code == 422
    # A refused plan comes back as sent, each refusal beside its field.
    assert 'id="plan-fee-error"' in negative.text and 'value="-1"' in negative.text
    assert 'id="plan-currency-error"' in bad_currency.text and 'value="eur"' in bad_currency.text
    assert 'id="plan-discount_percent-error"' in too_much.text
    assert (commuter["fee"], commuter["included_kwh"], commuter["discount_percent"]) == (
        "9.90",
        "50.000000",
        None,
    )
    assert commuter["description"] == "for daily drivers"
    # The form offers the active plans in the driver's currency only.
    assert f'<option value="{commuter["id"]}">Commuter (9.90 EUR a month)' in page.text
    assert dollars["id"] not in page.text
    assert subscribed.status_code == 303 and subscribed.headers["location"] == (
        f"/drivers/{driver_id}"
    )
    assert twice.status_code == 409 and "active subscription already" in twice.text
    assert other_currency.status_code == 422 and not_our_plan.status_code == 422
    assert unpaid.status_code == 409 and "does not cover" in unpaid.text
    # a refused subscription comes back as the driver's page, the refusal above it
    assert 'id="refusal"' in twice.text and 'id="driver-subscribe"' in twice.text
    assert 'id="refusal"' in other_currency.text and 'id="refusal"' in unpaid.text
    assert sub["auto_renew"] is False  # the box unticked
    assert renewing.status_code == 303
    assert "data-subscription-renew>yes<" in subscribed_page.text
    assert "Stop renewing</button>" in subscribed_page.text
    assert 'id="driver-balance">-9.90 EUR' in subscribed_page.text
    assert cancelled.status_code == 303 and cancelled_again.status_code == 409
    assert renew_ended.status_code == 409
    assert retire.status_code == 303 and retired_plan.status_code == 409
    assert "data-subscription-status>canceled<" in retired_page.text
    assert f'<option value="{commuter["id"]}"' not in retired_page.text
    assert foreign_retire.status_code == 404 and bad_status.status_code == 422
    assert "Offer again</button>" in after.text
    final = (await tenant.api.get(f"/subscriptions/{sub['id']}")).json()
    assert (final["status"], final["auto_renew"], final["end_reason"]) == (
        "canceled",
        True,
        "canceled",
    )
    assert (await tenant.api.get(f"/subscription-plans/{commuter['id']}")).json()[
        "status"
    ] == "retired"


async def test_an_operator_renames_a_plan_by_the_rest_rules(tenant: Tenant) -> None:
    plan = await new_plan(tenant, name=tenant.unique("Basic"), fee="5")
    viewer = await make_user(tenant, "viewer")
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, viewer) as client:
        listing = await client.get("/subscription-plans")
        refused = await client.post(
            f"/subscription-plans/{plan['id']}",
            data={"csrf_token": hidden(listing.text, "csrf_token"), "name": "Viewer's"},
        )
    assert "Rename</button>" not in listing.text and refused.status_code == 403
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/subscription-plans")
        csrf = hidden(listing.text, "csrf_token")
        too_long = await client.post(
            f"/subscription-plans/{plan['id']}", data={"csrf_token": csrf, "name": "x" * 201}
        )
        renamed = await client.post(
            f"/subscription-plans/{plan['id']}", data={"csrf_token": csrf, "name": " Basic+ "}
        )
        after = await client.get("/subscription-plans")
    assert "Rename</button>" in listing.text
    assert too_long.status_code == 422 and "name" in too_long.text
    assert renamed.status_code == 303, renamed.text
    stored = (await tenant.api.get(f"/subscription-plans/{plan['id']}")).json()
    assert stored["name"] == "Basic+" and stored["status"] == "active"
    assert "Basic+" in after.text
