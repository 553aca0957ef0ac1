"""Tag groups and permissions in a real browser (headless Chromium): an operator builds a tag
group from the ID tags page, grants the group a nightly window at a location, and withdraws it;
each page labels its controls and fits a phone."""

from typing import TYPE_CHECKING

from tests.conftest import Tenant
from tests.dashboard.browser import PHONE, check_phone_page, signed_in
from tests.dashboard.conftest import make_user
from tests.dashboard.test_tag_groups import new_tag

if TYPE_CHECKING:
    from playwright.async_api import Browser


async def test_an_operator_builds_a_group_and_grants_it_access(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    first, second = await new_tag(tenant, "VAN"), await new_tag(tenant, "TRUCK")
    site = await tenant.api.post("/locations", json={"name": "Depot Nord"})
    assert site.status_code == 201, site.text
    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator) as page:
        await page.get_by_role("link", name="ID tags").first.click()
        await page.get_by_role("link", name="Tag groups").click()
        await page.get_by_label("Group name").fill("Night crew")
        await page.get_by_label("ID tags").fill(first)
        await page.get_by_role("button", name="Add group").click()
        await expect(page.locator("#tag-group-name")).to_have_text("Night crew")
        await page.get_by_label("ID tag value").fill(second)
        await page.get_by_role("button", name="Add member").click()
        await expect(page.locator("#tag-group-members")).to_contain_text(second)
        await page.get_by_role("button", name=f"Remove {first} from the group").click()
        await expect(page.locator("#tag-group-members")).not_to_contain_text(first)

        await page.get_by_role("link", name="what this group may use").click()
        await expect(page.locator("#permissions")).to_contain_text("No permission matches")
        await page.get_by_label("or tag group").select_option(label="Night crew")
        await page.get_by_label("or location and below").select_option(label="Depot Nord")
        await page.get_by_label("Daily from").fill("22:00")
        await page.get_by_label("Daily until").fill("06:00")
        await page.get_by_label("Description").fill("nights only")
        await page.get_by_role("button", name="Grant").click()
        rows = page.locator("#permissions tbody")
        await expect(rows).to_contain_text("Night crew")
        await expect(rows).to_contain_text("Depot Nord and below")
        await expect(rows).to_contain_text("22:00 to 06:00")

        await page.set_viewport_size(PHONE)
        await check_phone_page(page, "/permissions")
        await page.get_by_role("link", name="Night crew").click()
        await check_phone_page(page, "/tag-groups/…")
        await page.goto("/permissions")
        await page.get_by_role(
            "button", name="Withdraw the permission of group Night crew at Depot Nord"
        ).click()
        await expect(rows).to_contain_text("No permission matches")
    assert (await tenant.api.get("/permissions")).json()["total"] == 0
    [group] = (await tenant.api.get("/tag-groups")).json()["items"]
    assert group["name"] == "Night crew" and group["id_tags"] == [second]
