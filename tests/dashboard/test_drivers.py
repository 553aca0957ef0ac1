"""The drivers pages: searched by name or e-mail on the server, with balance, ID tags and the
ledger."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user


async def test_drivers_are_searched_and_show_their_tags_balance_and_ledger(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    tag = tenant.unique("DRV")
    assert (await tenant.api.post("/id-tags", json={"value": tag})).status_code == 201
    email = f"{tenant.unique('ada')}@example.com"
    made = await tenant.api.post(
        "/drivers",
        json={"name": "Ada Lovelace", "email": email, "payment_mode": "prepaid", "id_tags": [tag]},
    )
    assert made.status_code == 201, made.text
    driver_id = made.json()["id"]
    topped = await tenant.api.post(
        f"/drivers/{driver_id}/balance",
        json={"amount": "25.50", "currency": "EUR", "reference": "cash"},
    )
    assert topped.status_code == 201, topped.text
    await tenant.api.post("/drivers", json={"name": "Bob", "email": "bob@example.com"})
    foreign = await other_tenant.api.post("/drivers", json={"name": "Ada Lovelace", "email": email})
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        found = await client.get("/drivers", params={"q": email.split("@")[0].upper()})
        disabled = await client.get("/drivers", params={"status": "disabled"})
        page = await client.get(f"/drivers/{driver_id}")
        fees = await client.get(f"/drivers/{driver_id}", params={"kind": "fee"})
        hidden_from_us = await client.get(f"/drivers/{foreign.json()['id']}")
    assert found.status_code == 200 and "1 driver<" in found.text
    assert f'href="/drivers/{driver_id}"' in found.text and "25.50 EUR" in found.text
    assert "0 drivers" in disabled.text
    assert page.status_code == 200 and tag in page.text and "top up" in page.text
    assert 'id="driver-balance">25.50 EUR' in page.text
    assert "No entry of this kind" in fees.text
    assert hidden_from_us.status_code == 404


async def test_an_operator_adds_changes_and_tops_up_a_driver(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    tag = tenant.unique("DRV")
    assert (await tenant.api.post("/id-tags", json={"value": tag})).status_code == 201
    operator = await make_user(tenant, "operator")
    viewer = await make_user(tenant, "viewer")
    email = f"{tenant.unique('grace')}@example.com"
    foreign = await other_tenant.api.post(
        "/drivers", json={"name": "Foreign", "email": "f@example.com"}
    )
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/drivers")
        csrf = hidden(listing.text, "csrf_token")
        new = {
            "csrf_token": csrf,
            "name": "Grace Hopper",
            "email": email,
            "status": "enabled",
            "payment_mode": "prepaid",
            "currency": "EUR",
            "id_tags": f"{tag}, ",
        }
        made = await client.post("/drivers", data=new)
        taken = await client.post("/drivers", data=new)  # the same e-mail again
        unknown_tag = await client.post(
            "/drivers", data=new | {"email": "x@example.com", "id_tags": "NO-SUCH-TAG"}
        )
        bad_email = await client.post("/drivers", data=new | {"email": "nobody"})
        assert made.status_code == 303, made.text
        path = made.headers["location"]
        page = await client.get(path)
        form = {
            "csrf_token": csrf,
            "revision": hidden(page.text, "revision"),
            "name": "Grace B. Hopper",
            "email": email,
            "status": "disabled",
            "payment_mode": "prepaid",
            "currency": "EUR",
        }
        changed = await client.post(path, data=form)
        stale = await client.post(path, data=form | {"name": "Late"})
        other = await client.post(
            "/drivers", data=new | {"email": "ada@example.com", "id_tags": ""}
        )
        assert other.status_code == 303, other.text
        revision = hidden((await client.get(path)).text, "revision")
        edit_taken = await client.post(
            path, data=form | {"revision": revision, "email": "ada@example.com", "name": "Kept"}
        )
        edit_broken = await client.post(path, data=form | {"revision": revision, "email": "nobody"})
        topped = await client.post(
            f"{path}/top-up",
            data={"csrf_token": csrf, "amount": "25.50", "currency": "EUR", "reference": "cash"},
        )
        wrong_currency = await client.post(
            f"{path}/top-up", data={"csrf_token": csrf, "amount": "5", "currency": "USD"}
        )
        negative = await client.post(
            f"{path}/top-up", data={"csrf_token": csrf, "amount": "-5", "currency": "EUR"}
        )
        not_ours = await client.post(
            f"/drivers/{foreign.json()['id']}/top-up",
            data={"csrf_token": csrf, "amount": "5", "currency": "EUR"},
        )
        after = await client.get(path)
    async with browser_client(tenant, viewer) as client:
        viewer_page = await client.get(path)
        refused = await client.post(
            f"{path}/top-up",
            data={
                "csrf_token": hidden(viewer_page.text, "csrf_token"),
                "amount": "5",
                "currency": "EUR",
            },
        )
    assert 'id="driver-new"' in listing.text
    assert taken.status_code == 409 and unknown_tag.status_code == 422
    assert bad_email.status_code == 422
    # A refused driver comes back as sent, each refusal beside its field.
    assert 'id="new-driver-email-error"' in taken.text and 'id="new-driver-errors"' in taken.text
    assert 'id="new-driver-id_tags-error"' in unknown_tag.text
    assert 'value="NO-SUCH-TAG"' in unknown_tag.text
    assert 'id="new-driver-email-error"' in bad_email.text and 'value="nobody"' in bad_email.text
    assert '<option value="prepaid" selected>' in bad_email.text
    assert changed.status_code == 303 and stale.status_code == 412
    # A refused edit comes back on the driver's page as sent, each refusal beside its field.
    assert 'id="edit-driver-errors"' in stale.text and 'value="Late"' in stale.text
    assert edit_taken.status_code == 409 and 'id="edit-driver-email-error"' in edit_taken.text
    assert 'value="Kept"' in edit_taken.text and 'id="driver-top-up"' in edit_taken.text
    assert edit_broken.status_code == 422 and 'id="edit-driver-email-error"' in edit_broken.text
    assert topped.status_code == 303
    assert wrong_currency.status_code == 422 and negative.status_code == 422
    # a refused top-up comes back as the driver's page, the refusal above it
    assert 'id="refusal"' in wrong_currency.text and 'id="driver-top-up"' in wrong_currency.text
    assert 'id="refusal"' in negative.text and "amount" in negative.text
    assert not_ours.status_code == 404
    assert 'id="driver-balance">25.50 EUR' in after.text and "cash" in after.text
    assert 'id="driver-top-up"' not in viewer_page.text and refused.status_code == 403
    driver = (await tenant.api.get(path)).json()
    assert (driver["name"], driver["status"], driver["id_tags"]) == (
        "Grace B. Hopper",
        "disabled",
        [tag],
    )


async def test_a_driver_page_lists_subscriptions_and_operators_redeem_vouchers(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    made = await tenant.api.post("/drivers", json={"name": "Ada", "email": "ada@example.com"})
    driver_id = made.json()["id"]
    plan = await tenant.api.post(
        "/subscription-plans", json={"name": "Gold monthly", "fee": "19.00", "currency": "EUR"}
    )
    assert plan.status_code == 201, plan.text
    subscribed = await tenant.api.post(
        f"/drivers/{driver_id}/subscriptions",
        json={"plan_id": plan.json()["id"], "auto_renew": False},
    )
    assert subscribed.status_code == 201, subscribed.text
    code = tenant.unique("GIFT")
    for body in (
        {"code": code, "kind": "amount", "amount": "10.00", "currency": "EUR"},
        {"code": f"{code}-USD", "kind": "amount", "amount": "10.00", "currency": "USD"},
    ):
        assert (await tenant.api.post("/vouchers", json=body)).status_code == 201
    foreign = await other_tenant.api.post("/drivers", json={"name": "F", "email": "f@example.com"})
    operator = await make_user(tenant, "operator")
    viewer = await make_user(tenant, "viewer")
    path = f"/drivers/{driver_id}"
    async with browser_client(tenant, operator) as client:
        page = await client.get(path)
        csrf = hidden(page.text, "csrf_token")
        redeemed = await client.post(f"{path}/vouchers", data={"csrf_token": csrf, "code": code})
        spent = await client.post(f"{path}/vouchers", data={"csrf_token": csrf, "code": code})
        unknown = await client.post(f"{path}/vouchers", data={"csrf_token": csrf, "code": "NOPE"})
        other_currency = await client.post(
            f"{path}/vouchers", data={"csrf_token": csrf, "code": f"{code}-USD"}
        )
        empty = await client.post(f"{path}/vouchers", data={"csrf_token": csrf, "code": ""})
        not_ours = await client.post(
            f"/drivers/{foreign.json()['id']}/vouchers", data={"csrf_token": csrf, "code": code}
        )
        after = await client.get(path)
    async with browser_client(tenant, viewer) as client:
        viewer_page = await client.get(path)
        refused = await client.post(
            f"{path}/vouchers",
            data={"csrf_token": hidden(viewer_page.text, "csrf_token"), "code": code},
        )
    assert 'id="driver-redeem"' in page.text and "Gold monthly" in page.text
    subscriptions = page.text.split('id="subscriptions"')[1].split("</table>")[0]
    assert "data-subscription-status>active<" in subscriptions
    assert "data-subscription-renew>no<" in subscriptions
    assert redeemed.status_code == 303 and redeemed.headers["location"] == path
    assert spent.status_code == 409 and "fully redeemed" in spent.text
    assert 'id="refusal"' in spent.text and 'id="driver-redeem"' in spent.text
    assert unknown.status_code == 422 and other_currency.status_code == 422
    assert empty.status_code == 422 and not_ours.status_code == 404
    # 19.00 EUR fee booked at activation, then the 10.00 EUR voucher
    assert 'id="driver-balance">-9.00 EUR' in after.text and f"voucher {code}" in after.text
    assert "Gold monthly" in viewer_page.text and 'id="driver-redeem"' not in viewer_page.text
    assert refused.status_code == 403
    ledger = (await tenant.api.get(f"{path}/ledger")).json()["items"]
    assert [e["kind"] for e in ledger].count("voucher") == 1
