"""A session's cost and its CDR in a real browser (headless Chromium) on a phone: an operator
reads a priced session's cost, follows it to its CDR and credits it; each page labels its
controls and fits 390 px."""

from typing import TYPE_CHECKING

from tests.conftest import Tenant
from tests.dashboard.browser import PHONE, check_phone_page, signed_in
from tests.dashboard.conftest import make_user
from tests.dashboard.test_cdrs import priced_session

if TYPE_CHECKING:
    from playwright.async_api import Browser


async def test_an_operator_follows_a_session_to_its_cdr_and_credits_it(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    tx_id, cdr, driver_id, _ = await priced_session(tenant)
    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator) as page:
        await page.set_viewport_size(PHONE)
        await page.goto(f"/sessions/{tx_id}")
        await expect(page.locator("#session-cost")).to_contain_text("4.80 EUR")
        await check_phone_page(page, f"/sessions/{tx_id}")
        await page.locator("#session-cdr").click()
        await expect(page.locator("#cdr-total")).to_have_text("4.80 EUR")
        await check_phone_page(page, f"/cdrs/{cdr['id']}")
        await page.get_by_label("Remark").fill("charged twice")
        await page.get_by_role("button", name="Issue credit CDR").click()
        await expect(page.locator("#cdr-total")).to_have_text("-4.80 EUR")
        await expect(page.locator("main")).to_contain_text("charged twice")
        await page.get_by_role("link", name="the CDR of session").click()
        await expect(page.locator("#cdr-credited")).to_contain_text("a credit CDR")
        await expect(page.locator("#cdr-credit")).to_have_count(0)
        await page.goto(f"/drivers/{driver_id}")
        await expect(page.locator("#driver-balance")).to_have_text("0.00 EUR")
