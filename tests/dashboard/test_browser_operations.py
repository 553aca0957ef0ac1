"""The network's KPIs and its stuck sessions in a real browser (headless Chromium): a viewer in
Berlin measures a location's sessions over a local period (sent as the UTC instants meant), and
an operator closes a session its station forgot, ticked in the list, with the station's answer
on the page; both pages label their controls and fit a phone."""

from typing import TYPE_CHECKING

from tests.cluster.leased_nodes import until
from tests.commands.conftest import Online, online, start_transaction
from tests.commands.test_stopping import accepted_tag
from tests.conftest import Tenant
from tests.dashboard.browser import PHONE, check_phone_page, signed_in
from tests.dashboard.conftest import make_user
from tests.dashboard.test_pages import report
from tests.support.ocpp_client import PASSWORD

if TYPE_CHECKING:
    from playwright.async_api import Browser

__all__ = ["online"]


async def test_a_viewer_measures_a_location_over_a_local_period(
    browser: "Browser", tenant: Tenant, online: Online
) -> None:
    from playwright.async_api import expect

    depot = await tenant.api.post(
        "/locations", json={"name": "Depot Süd", "timezone": "Europe/Berlin"}
    )
    assert depot.status_code == 201, depot.text
    station_id = tenant.unique("CP")
    body = {"id": station_id, "password": PASSWORD, "location_id": depot.json()["id"]}
    assert (await tenant.api.post("/stations", json=body)).status_code == 201
    tag = await accepted_tag(tenant)
    async with online(station_id) as (_, station):
        for connector in (1, 2):  # 2026-01-01 10:00Z to 11:00Z, 4 kWh each
            transaction_id = await start_transaction(station, tag, connector)
            stop = {"transactionId": transaction_id, "meterStop": 5000}
            await station.ok("StopTransaction", stop | {"timestamp": "2026-01-01T11:00:00Z"})
    viewer = await make_user(tenant, "viewer")
    async with signed_in(browser, tenant, viewer, timezone="Europe/Berlin") as page:
        await page.get_by_role("link", name="KPIs").click()
        await expect(page.get_by_role("heading", name="KPIs")).to_be_visible()
        await page.get_by_label("Location (and below)").select_option(label="Depot Süd")
        await page.get_by_label("From", exact=True).fill("2026-01-01T00:00")
        await page.get_by_label("Until", exact=True).fill("2026-01-02T00:00")
        await page.get_by_role("button", name="Measure").click()
        await expect(page.locator("#kpi-total")).to_contain_text("8.00 kWh")
        assert "start=2025-12-31T23%3A00%3A00.000Z" in page.url, page.url
        await expect(page.locator("#kpi-sessions tbody tr")).to_have_count(1)
        await expect(page.locator("#kpi-total td").first).to_have_text("2")
        await expect(page.locator("main")).to_contain_text("by the calendar of Europe/Berlin")
        await page.set_viewport_size(PHONE)
        await check_phone_page(page, "/kpis")


async def test_an_operator_closes_a_stuck_session(
    browser: "Browser", tenant: Tenant, online: Online
) -> None:
    from playwright.async_api import expect

    rule = await tenant.api.patch("/alert-rules/session-zombie", json={"threshold_s": 1})
    assert rule.status_code == 200, rule.text
    tag = await accepted_tag(tenant)
    operator = await make_user(tenant, "operator")
    async with online() as (_station_id, station), signed_in(browser, tenant, operator) as page:
        tx = await start_transaction(station, tag)
        await report(station, 1, "Available")

        async def listed() -> bool:
            found = await tenant.api.get("/reconciliation/zombie-sessions")
            return bool(found.json()["items"])

        await until(listed)
        await page.get_by_role("link", name="Sessions", exact=True).click()
        await page.get_by_role("link", name="Stuck sessions").click()
        row = page.locator(f"#zombie-{tx}")
        await expect(row).to_contain_text("connector Available")
        await page.set_viewport_size(PHONE)
        await check_phone_page(page, "/reconciliation")
        await page.get_by_label(f"Close session {tx}").check()
        await page.get_by_label("Stop reason").fill("StationGone")
        await page.get_by_role("button", name="Close ticked sessions").click()
        result = page.locator("#close-result")
        await expect(result).to_contain_text("Closed: 1 session")
        await expect(result).to_contain_text("the station answered the stop with Accepted")
        await expect(row).to_have_count(0)
    session = (await tenant.api.get(f"/transactions/{tx}")).json()
    assert (session["stop_reason"], session["force_stopped"]) == ("StationGone", True)
