"""The tariffs pages: searched on the server, a tariff's prices in words and its versions."""

from tests.conftest import Tenant
from tests.dashboard.conftest import browser_client, hidden, make_user

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


async def test_an_operator_creates_a_tariff_and_changes_its_prices(tenant: Tenant) -> None:
    operator = await make_user(tenant, "operator")
    viewer = await make_user(tenant, "viewer")
    name = tenant.unique("Night")
    async with browser_client(tenant, operator) as client:
        listing = await client.get("/tariffs")
        csrf = hidden(listing.text, "csrf_token")
        new = {
            "csrf_token": csrf,
            "name": name,
            "is_default": "false",
            "currency": "EUR",
            "tax_rate": "19",
            "prices_include_tax": "false",
            "line-0-type": "ENERGY",
            "line-0-price": "0.25",
            "line-0-step_size": "1",
            "line-0-start_time": "22:00",
            "line-0-end_time": "06:00",
            "line-1-type": "ENERGY",
            "line-1-price": "0.39",
            "line-1-step_size": "1",
        }
        made = await client.post("/tariffs", data=new)
        no_price = await client.post("/tariffs", data={"csrf_token": csrf, "name": "Empty"})
        bad_price = await client.post("/tariffs", data=new | {"line-1-price": "-1"})
        skipped = await client.post(
            "/tariffs", data=new | {"line-0-price": "", "line-1-price": "", "line-3-price": "-2"}
        )
        min_above_max = await client.post(
            "/tariffs", data=new | {"min_price": "5", "max_price": "1"}
        )
        assert made.status_code == 303, made.text
        path = made.headers["location"]
        page = await client.get(path)
        # The page shows the lines as they are: saved unchanged, the prices stay version 1.
        form = {
            "csrf_token": csrf,
            "revision": hidden(page.text, "revision"),
            "name": name,
            "description": "",
            "is_default": "false",
            "currency": "EUR",
            "tax_rate": "19",
            "prices_include_tax": "false",
            "min_price": "",
            "max_price": "",
        } | {k: v for k, v in new.items() if k.startswith("line-")}
        unchanged = await client.post(path, data=form)
        page = await client.get(path)
        form["revision"] = hidden(page.text, "revision")
        cheaper = await client.post(path, data=form | {"line-1-price": "0.35", "tax_rate": ""})
        stale = await client.post(path, data=form | {"description": "late"})
        after = await client.get(path)
    async with browser_client(tenant, viewer) as client:
        viewer_page = await client.get(path)
        refused = await client.post(
            "/tariffs", data=new | {"csrf_token": hidden(viewer_page.text, "csrf_token")}
        )
    assert 'id="tariff-new"' in listing.text
    assert no_price.status_code == 422 and 'id="new-elements-error"' in no_price.text
    assert 'id="new-errors"' in no_price.text and 'value="Empty"' in no_price.text
    # a refused line is said beside it, the form kept as typed
    assert bad_price.status_code == 422 and 'id="new-line-1-error"' in bad_price.text
    assert 'name="line-1-price" type="number" step="any" min="0" value="-1"' in bad_price.text
    assert f'value="{name}"' in bad_price.text and 'value="22:00"' in bad_price.text
    assert skipped.status_code == 422 and 'id="new-line-3-error"' in skipped.text
    assert 'id="new-line-0-error"' not in skipped.text
    assert min_above_max.status_code == 422 and 'id="new-min_price-error"' in min_above_max.text
    assert 'value="22:00"' in page.text and 'value="0.39"' in page.text
    assert unchanged.status_code == 303 and cheaper.status_code == 303
    assert stale.status_code == 412 and 'id="edit-errors"' in stale.text
    assert "changed since this page was loaded" in stale.text and 'value="late"' in stale.text
    assert 'id="tariff-edit"' not in viewer_page.text and refused.status_code == 403
    tariff = (await tenant.api.get(path)).json()
    assert tariff["version"] == 2 and tariff["tax_rate"] is None
    assert [e["price_components"][0]["price"] for e in tariff["elements"]] == ["0.25", "0.35"]
    assert tariff["elements"][0]["restrictions"]["start_time"] == "22:00"
    assert "0.35 EUR per kWh" in after.text


async def test_a_tariff_the_lines_cannot_show_keeps_its_prices(tenant: Tenant) -> None:
    made = await tenant.api.post("/tariffs", json=PUBLIC_AC | {"name": tenant.unique("AC")})
    tariff_id = made.json()["id"]
    operator = await make_user(tenant, "operator")
    async with browser_client(tenant, operator) as client:
        page = await client.get(f"/tariffs/{tariff_id}")
        renamed = await client.post(
            f"/tariffs/{tariff_id}",
            data={
                "csrf_token": hidden(page.text, "csrf_token"),
                "revision": hidden(page.text, "revision"),
                "name": "Public AC, renamed",
                "is_default": "false",
                "line-0-price": "9",  # no lines were shown: ignored
            },
        )
    assert "the form&#39;s lines cannot show" in page.text or "lines cannot show" in page.text
    assert 'name="line-0-price"' not in page.text
    assert renamed.status_code == 303
    tariff = (await tenant.api.get(f"/tariffs/{tariff_id}")).json()
    assert tariff["name"] == "Public AC, renamed" and tariff["version"] == 1
    assert tariff["elements"] == made.json()["elements"]
