"""Energy prices, demand-response events, EV charging needs and the vendor error code import in
a real browser (headless Chromium): an operator in Amsterdam types prices and events in local
time and they are stored as UTC instants; a refused form comes back with its refusal beside the
field, in the focused list above the form, and every value as typed (times again in the browser's
time); a file chosen for the import fills the text it sends; each page labels its controls and
fits a phone."""

from typing import TYPE_CHECKING

from tests.conftest import Tenant
from tests.dashboard.browser import PHONE, check_phone_page, signed_in
from tests.dashboard.conftest import make_user
from tests.dashboard.test_charging_needs import reported
from tests.protocol.v201.conftest import V2Stations

if TYPE_CHECKING:
    from playwright.async_api import Browser

REFUSED = (404, 422)
"""The forms refused on purpose answer with the form (the browser logs the status)."""
AMSTERDAM = "Europe/Amsterdam"  # UTC+1 in December


async def test_an_operator_keeps_energy_prices_in_local_time(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    await tenant.api.post("/circuits", json={"name": "Hall", "max_power_kw": 22})
    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator, AMSTERDAM, REFUSED) as page:
        await page.get_by_role("link", name="Smart charging").click()
        await page.get_by_role("link", name="Energy prices").click()
        new = page.locator("#price-new")
        await new.get_by_label("From").fill("2026-12-07T18:00")
        await new.get_by_label("Until").fill("2026-12-07T17:00")
        await new.get_by_label("Price per kWh").fill("0.42")
        await new.get_by_label("Applies to").select_option(label="Hall")
        await new.get_by_role("button", name="Add price").click()
        await expect(page.locator("#new-errors")).to_be_focused()
        await expect(page.locator("#new-ends_at-error")).to_contain_text("after starts_at")
        await expect(new.get_by_label("From")).to_have_value("2026-12-07T18:00")
        await expect(new.get_by_label("Price per kWh")).to_have_value("0.42")
        await expect(new.get_by_label("Applies to")).to_have_value(
            await new.get_by_label("Applies to").input_value()
        )
        assert await new.get_by_label("Applies to").locator("option:checked").inner_text() == "Hall"
        await new.get_by_label("Until").fill("2026-12-07T22:00")
        await new.get_by_role("button", name="Add price").click()
        await expect(page.locator("#energy-prices")).to_contain_text("0.42")
        await expect(page.locator("#energy-prices")).to_contain_text("Hall")

        await page.set_viewport_size(PHONE)
        await check_phone_page(page, "/energy-prices")
        [price] = (await tenant.api.get("/energy-prices")).json()["items"]
        assert (price["starts_at"], price["ends_at"]) == (
            "2026-12-07T17:00:00Z",
            "2026-12-07T21:00:00Z",
        )
        await page.get_by_role("button", name="Delete the price from").click()
        await expect(page.locator("#energy-prices")).to_contain_text("No energy price yet")
    assert (await tenant.api.get("/energy-prices")).json()["total"] == 0


async def test_an_operator_curtails_a_circuit_and_cancels_it(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    await tenant.api.post("/circuits", json={"name": "Depot", "max_power_kw": 50})
    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator, AMSTERDAM, REFUSED) as page:
        await page.get_by_role("link", name="Smart charging").click()
        await page.get_by_role("link", name="Demand-response events").click()
        new = page.locator("#event-new")
        await new.get_by_label("Kind").select_option("curtailment")
        await new.get_by_label("From").fill("2026-12-07T17:00")
        await new.get_by_label("Until").fill("2026-12-07T19:00")
        await new.get_by_role("button", name="Add event").click()
        await expect(page.locator("#new-errors")).to_be_focused()
        await expect(page.locator("#new-max_power_kw-error")).to_contain_text(
            "a curtailment needs max_power_kw"
        )
        await expect(new.get_by_label("Until")).to_have_value("2026-12-07T19:00")
        await new.get_by_label("Cap (kW)").fill("12")
        await new.get_by_role("button", name="Add event").click()
        table = page.locator("#demand-response-events")
        await expect(table).to_contain_text("Curtailment")
        await expect(table).to_contain_text("12 kW")
        [event] = (await tenant.api.get("/demand-response-events")).json()["items"]
        assert (event["starts_at"], event["max_power_kw"]) == ("2026-12-07T16:00:00Z", 12.0)

        await page.set_viewport_size(PHONE)
        await check_phone_page(page, "/demand-response-events")
        await page.get_by_role("button", name="Cancel the curtailment event on Depot").click()
        await expect(table).to_contain_text("No demand-response event")
    assert (await tenant.api.get("/demand-response-events")).json()["total"] == 0


async def test_a_viewer_reads_what_the_evs_asked_for(browser: "Browser", tenant: Tenant) -> None:
    from playwright.async_api import expect

    station_id = await reported(V2Stations(tenant))
    viewer = await make_user(tenant, "viewer")
    async with signed_in(browser, tenant, viewer) as page:
        await page.goto(f"/stations/{station_id}")
        await page.get_by_role("link", name="EV charging needs").click()
        needs = page.locator("#charging-needs")
        await expect(needs.locator("tbody tr")).to_have_count(2)
        await page.get_by_label("EVSE").fill("2")
        await page.get_by_role("button", name="Filter").click()
        await expect(needs.locator("tbody tr")).to_have_count(1)
        await expect(needs).to_contain_text("12.00 kWh")
        await page.goto(f"/stations/{station_id}/charging-needs")
        await page.get_by_text("2 period(s) in W").click()
        await expect(page.locator("#ev-charging-schedules pre")).to_contain_text("11000")
        await page.set_viewport_size(PHONE)
        await page.reload()
        await check_phone_page(page, "/stations/…/charging-needs")


async def test_an_operator_imports_error_codes_from_a_file(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    table = "vendor,code,title,severity\nAcme,E-17,Residual current detected,High\nAcme,E-18,,Low\n"
    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator, refused=REFUSED) as page:
        await page.goto("/vendor-error-codes")
        form = page.locator("#code-import")
        await expect(form.get_by_label("File (CSV or JSON)")).to_be_visible()  # with the script
        await form.get_by_label("File (CSV or JSON)").set_input_files(
            files=[{"name": "codes.csv", "mimeType": "text/csv", "buffer": table.encode()}]
        )
        entries = form.get_by_label("Entries (JSON or CSV)")
        await expect(entries).to_have_value(table)
        await form.get_by_role("button", name="Import entries").click()
        await expect(page.locator("#import-errors")).to_be_focused()
        await expect(page.locator("#import-entries-error")).to_contain_text(
            "entry 2 (line 3), title"
        )
        await expect(entries).to_have_value(table)  # as sent
        await entries.fill(table.replace("Acme,E-18,,Low", "Acme,E-18,Ground fault,Low"))
        await form.get_by_role("button", name="Import entries").click()
        await expect(page.locator("#import-done")).to_have_text("Imported: 2 created, 0 replaced.")
        await expect(page.locator("#vendor-error-codes")).to_contain_text("Ground fault")
        await page.set_viewport_size(PHONE)
        await page.goto("/vendor-error-codes")  # not at #import, where the answer put the focus
        await check_phone_page(page, "/vendor-error-codes")
    assert (await tenant.api.get("/vendor-error-codes")).json()["total"] == 2
