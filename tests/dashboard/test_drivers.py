"""The drivers pages: searched by name or e-mail on the server, with balance, ID tags and the
ledger."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, make_user


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
