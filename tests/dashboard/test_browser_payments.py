"""Settlements and energy costs in a real browser (headless Chromium): a viewer finds a reported
payment from the sessions page and filters it on a phone; a site's margin over a period picked in
the browser's time zone."""

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tests.conftest import Tenant
from tests.dashboard.browser import PHONE, check_phone_page, signed_in
from tests.dashboard.conftest import make_user
from tests.dashboard.test_energy_costs import stations
from tests.energy_costs.test_energy_costs_api import price
from tests.protocol.conftest import Stations
from tests.protocol.test_v16_authorize import add_tag
from tests.protocol.v21.conftest import V21Stations, answer, start_transaction, v21
from tests.protocol.v21.test_payments import settlement
from tests.support.billing import create_tariff, run_session

if TYPE_CHECKING:
    from playwright.async_api import Browser

__all__ = ["stations", "v21"]


async def test_a_viewer_finds_and_filters_settlements_on_a_phone(
    browser: "Browser", tenant: Tenant, v21: V21Stations
) -> None:
    from playwright.async_api import expect

    async with v21.booted() as (_sid, station):
        await start_transaction(station, "TX-CARD")
        paid = settlement(transactionId="TX-CARD", pspRef="card-77", settlementAmount=8.5)
        assert await answer(station, "NotifySettlement", paid) == {}
        failed = settlement(pspRef="card-78", status="Failed", settlementAmount=0)
        assert await answer(station, "NotifySettlement", failed) == {}
    viewer = await make_user(tenant, "viewer")
    async with signed_in(browser, tenant, viewer) as page:
        await page.set_viewport_size(PHONE)
        await page.goto("/sessions")
        await page.get_by_role("link", name="Payment settlements").click()
        table = page.locator("#settlements")
        await expect(table).to_contain_text("8.5")
        await expect(table).to_contain_text("Failed")
        await check_phone_page(page, "/settlements")
        await page.get_by_label("Status").select_option("Settled")
        await page.get_by_role("button", name="Filter").click()
        await expect(page.locator("main")).to_contain_text("1 settlement,")
        await expect(table).not_to_contain_text("Failed")


async def test_a_site_margin_over_a_period_in_the_browser_s_zone(
    browser: "Browser", tenant: Tenant, stations: Stations
) -> None:
    from playwright.async_api import expect

    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=2)
    depot = (await tenant.api.post("/locations", json={"name": "Depot"})).json()["id"]
    tariff_id = await create_tariff(tenant)
    station_id = await stations.register(location_id=depot)
    await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": tariff_id})
    await price(tenant, start - timedelta(hours=1), start + timedelta(hours=1), "0.10")
    tx_id = await run_session(stations, station_id, await add_tag(tenant), start=start)
    viewer = await make_user(tenant, "viewer")
    async with signed_in(browser, tenant, viewer, timezone="Asia/Tokyo") as page:
        await page.goto(f"/sessions/{tx_id}")
        await expect(page.locator("#session-energy-cost")).to_contain_text("margin 3.00 EUR")
        await page.goto(f"/locations/{depot}")
        margin = page.locator("#location-margin")
        await expect(margin).to_contain_text("3.00 EUR")
        # Tokyo is UTC+9: a period that ended before the session, in local time.
        before = (start - timedelta(hours=3)).astimezone(UTC) + timedelta(hours=9)
        await page.get_by_label("From", exact=True).fill(
            (before - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        )
        await page.get_by_label("Until", exact=True).fill(before.strftime("%Y-%m-%dT%H:%M"))
        await page.get_by_role("button", name="Show period").click()
        await expect(margin).to_contain_text("No priced session stopped here")
        assert "Z&margin_to=" in page.url, page.url  # sent as UTC instants
