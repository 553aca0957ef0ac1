"""The tariffs pages: searched on the server, a tariff's prices in words and its versions."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, make_user

PUBLIC_AC = {
    "currency": "EUR",
    "tax_rate": "19",
    "elements": [
        {
            "price_components": [
                {"type": "ENERGY", "price": "0.39", "step_size": 1},
                {"type": "PARKING_TIME", "price": "6.00", "step_size": 300},
            ],
            "restrictions": {"start_time": "07:00", "end_time": "22:00"},
        },
        {"price_components": [{"type": "ENERGY", "price": "0.29"}]},
    ],
}


async def test_tariffs_are_searched_and_show_their_prices_and_versions(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    name = tenant.unique("Public AC")
    made = await tenant.api.post("/tariffs", json=PUBLIC_AC | {"name": name})
    assert made.status_code == 201, made.text
    tariff_id = made.json()["id"]
    changed = await tenant.api.patch(
        f"/tariffs/{tariff_id}",
        json={"max_price": "50", "idle_fee": {"price": "9.00", "grace_minutes": 20}},
    )
    assert changed.status_code == 200
    await tenant.api.post("/tariffs", json=PUBLIC_AC | {"name": "Other", "currency": "GBP"})
    foreign = await other_tenant.api.post("/tariffs", json=PUBLIC_AC | {"name": name})
    viewer = await make_user(tenant, "viewer")
    async with browser_client(tenant, viewer) as client:
        found = await client.get("/tariffs", params={"q": name[-8:].upper()})
        by_currency = await client.get("/tariffs", params={"currency": "GBP"})
        page = await client.get(f"/tariffs/{tariff_id}")
        hidden_from_us = await client.get(f"/tariffs/{foreign.json()['id']}")
        bad_currency = await client.get("/tariffs", params={"currency": "euro"})
    assert found.status_code == 200 and "1 tariff<" in found.text
    assert f'href="/tariffs/{tariff_id}"' in found.text
    assert f'href="/tariffs/{tariff_id}"' not in by_currency.text and "Other" in by_currency.text
    assert page.status_code == 200
    assert "0.39 EUR per kWh" in page.text and "from 07:00; until 22:00" in page.text
    assert "6.00 EUR per hour not charging" in page.text and "300 s" in page.text
    assert "always" in page.text and "19 %" in page.text
    assert "9.00 EUR per hour parked after charging, after 20 min of grace" in page.text
    assert page.text.count("<td>2</td>") == 1 and "<td>1</td>" in page.text  # two versions
    assert hidden_from_us.status_code == 404
    assert bad_currency.status_code == 422
