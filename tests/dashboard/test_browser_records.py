"""Alert notifications, vendor error codes and vehicles in a real browser (headless Chromium): an
admin sets who is mailed about alerts, an operator keeps the vendor error code table and the
fleet's vehicles; a refused value is said beside its field, in the focused list above the form,
with everything typed kept; each page labels its controls and fits a phone."""

from typing import TYPE_CHECKING

from tests.conftest import Tenant
from tests.dashboard.browser import PHONE, check_phone_page, signed_in
from tests.dashboard.conftest import make_user

if TYPE_CHECKING:
    from playwright.async_api import Browser

REFUSED = (422,)
"""The forms refused on purpose answer 422 with the form (the browser logs the status)."""


async def test_an_admin_sets_who_is_mailed_about_alerts(browser: "Browser", tenant: Tenant) -> None:
    from playwright.async_api import expect

    admin = await make_user(tenant, "admin")
    async with signed_in(browser, tenant, admin, refused=REFUSED) as page:
        await page.get_by_role("link", name="Alerts", exact=True).click()
        await page.get_by_role("link", name="Notifications").click()
        await expect(page.locator("#channel-state")).to_have_text("off")
        channel = page.locator("#channel-form")
        await channel.get_by_label("Send alert e-mail").select_option("true")
        await channel.get_by_label("Recipients").fill("ops@example.com, night shift")
        await channel.get_by_role("button", name="Save e-mail").click()
        errors = page.locator("#channel-errors")
        await expect(errors).to_be_focused()
        await expect(page.locator("#channel-recipients-error")).to_contain_text(
            "not an e-mail address"
        )
        await expect(channel.get_by_label("Recipients")).to_have_value(
            "ops@example.com, night shift"
        )
        await channel.get_by_label("Recipients").fill("ops@example.com\nnight@example.com")
        await channel.get_by_role("button", name="Save e-mail").click()
        await expect(page.locator("#channel-state")).to_have_text("on")
        await expect(page.locator("#channel-addressees")).to_have_text(
            "night@example.com, ops@example.com"
        )

        await page.get_by_text("Change Station offline").click()
        rule = page.locator("#rule-station-offline")
        await rule.get_by_label("Its own recipients").fill("field@example.com")
        await rule.get_by_label("Alert events to webhooks").select_option("false")
        await rule.get_by_role("button", name="Save notifications of Station offline").click()
        recipients = page.locator('[data-rule-recipients="station-offline"]')
        await expect(recipients).to_have_text("field@example.com")
        await expect(page.locator('[data-rule-webhook="station-offline"]')).to_have_text("off")

        await page.set_viewport_size(PHONE)
        await page.goto("/alert-notifications")
        await check_phone_page(page, "/alert-notifications")
    settings = (await tenant.api.get("/alert-notifications")).json()
    assert settings["enabled"] is True
    assert settings["recipients"] == ["night@example.com", "ops@example.com"]


async def test_an_operator_keeps_the_vendor_error_codes(browser: "Browser", tenant: Tenant) -> None:
    from playwright.async_api import expect

    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator, refused=REFUSED) as page:
        await page.get_by_role("link", name="Alerts", exact=True).click()
        await page.get_by_role("link", name="Vendor error codes").click()
        new = page.locator("#code-new")
        await new.get_by_label("Vendor").fill("Acme")
        await new.get_by_label("Code").fill("E-17")
        await new.get_by_label("Severity").select_option("High")
        await new.get_by_label("Title").fill("Residual current detected")
        await new.get_by_label("Suggested action").fill("Reset the RCD on site.")
        await new.get_by_role("button", name="Add entry").click()
        await expect(page.locator("#code-title")).to_have_text("E-17")
        await expect(page.locator("#code-meaning")).to_have_text("Residual current detected")

        edit = page.locator("#code-edit")
        await edit.get_by_label("Model").fill("Wallbox 22")
        await edit.get_by_label("Title").fill("")
        await edit.get_by_label("Title").evaluate("el => el.removeAttribute('required')")
        await edit.get_by_role("button", name="Save entry").click()
        await expect(page.locator("#edit-errors")).to_be_focused()
        await expect(page.locator("#edit-title-error")).to_be_visible()
        await expect(edit.get_by_label("Model")).to_have_value("Wallbox 22")
        await edit.get_by_label("Title").fill("RCD tripped")
        await edit.get_by_role("button", name="Save entry").click()
        await expect(page.locator("#code-meaning")).to_have_text("RCD tripped")
        await expect(page.locator("#code-facts")).to_contain_text("Wallbox 22")

        await page.set_viewport_size(PHONE)
        await check_phone_page(page, "/vendor-error-codes/…")
        await page.get_by_role("button", name="Delete the entry for code E-17").click()
        await expect(page.locator("#vendor-error-codes")).to_contain_text("No entry matches")
        await check_phone_page(page, "/vendor-error-codes")
    assert (await tenant.api.get("/vendor-error-codes")).json()["total"] == 0


async def test_an_operator_keeps_the_fleet(browser: "Browser", tenant: Tenant) -> None:
    from playwright.async_api import expect

    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator, refused=REFUSED) as page:
        await page.get_by_role("link", name="Smart charging").click()
        await page.get_by_role("link", name="Vehicles").click()
        new = page.locator("#vehicle-new")
        await new.get_by_label("Name").fill("Van 12")
        await new.get_by_label("ID tag").fill("VAN-12")
        await new.get_by_label("Battery (kWh)").fill("75")
        await new.get_by_label("Usual departure (HH:MM, UTC)").fill("6:30")
        await new.get_by_role("button", name="Add vehicle").click()
        await expect(page.locator("#new-errors")).to_be_focused()
        await expect(page.locator("#new-departure_time-error")).to_be_visible()
        await expect(new.get_by_label("Name")).to_have_value("Van 12")
        await new.get_by_label("Usual departure (HH:MM, UTC)").fill("06:30")
        await new.get_by_role("button", name="Add vehicle").click()
        await expect(page.locator("#vehicle-name")).to_have_text("Van 12")
        await expect(page.locator("#vehicle-departure")).to_have_text("06:30")

        edit = page.locator("#vehicle-edit")
        await edit.get_by_label("Target charge (%)").fill("80")
        await edit.get_by_label("Priority").select_option("1")
        await edit.get_by_role("button", name="Save vehicle").click()
        await expect(page.locator("#vehicle-target")).to_have_text("80 %")

        await page.set_viewport_size(PHONE)
        await check_phone_page(page, "/vehicles/…")
        await page.get_by_role("button", name="Delete vehicle Van 12").click()
        await expect(page.locator("#vehicles")).to_contain_text("No vehicle yet")
        await check_phone_page(page, "/vehicles")
    assert (await tenant.api.get("/vehicles")).json()["total"] == 0
