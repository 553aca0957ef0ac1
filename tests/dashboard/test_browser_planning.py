"""Locations, planned maintenance, subscription plans and tariff groups in a real browser
(headless Chromium): an operator adds a site with a location inside it, reserves an EVSE and
cancels the reservation, plans a window in the browser's time zone and cancels it, offers a plan and subscribes a driver to it, and builds a
tariff group, each stored as the REST API has it."""

from typing import TYPE_CHECKING

from tests.commands.conftest import register
from tests.commands.station import scripted_station
from tests.conftest import Tenant
from tests.dashboard.browser import signed_in
from tests.dashboard.conftest import make_user

if TYPE_CHECKING:
    from playwright.async_api import Browser


async def test_an_operator_adds_a_site_and_a_location_inside_it(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator) as page:
        await page.get_by_role("link", name="Locations").click()
        await page.get_by_label("Location name").fill("Depot Utrecht")
        await page.get_by_label("City").fill("Utrecht")
        await page.get_by_label("Latitude").fill("52.09")
        await page.get_by_label("Longitude").fill("5.11")
        await page.get_by_label("Time zone").fill("Europe/Amsterdam")
        await page.get_by_role("button", name="Add location").click()
        await expect(page.locator("#location-name")).to_have_text("Depot Utrecht")
        await expect(page.locator("#location-timezone")).to_have_text("Europe/Amsterdam")
        depot_id = page.url.rsplit("/", 1)[1]

        await page.get_by_role("link", name="Locations", exact=True).first.click()
        await page.get_by_label("Location name").fill("Hall B")
        await page.get_by_label("Inside").select_option(label="Depot Utrecht")
        await page.get_by_role("button", name="Add location").click()
        await expect(page.locator("#location-facts")).to_contain_text("Depot Utrecht")
        await page.get_by_role("link", name="Depot Utrecht").click()
        await expect(page.locator("#location-children")).to_contain_text("Hall B")
    depot = (await tenant.api.get(f"/locations/{depot_id}")).json()
    assert (depot["city"], depot["latitude"], depot["timezone"]) == (
        "Utrecht",
        52.09,
        "Europe/Amsterdam",
    )


async def test_an_operator_reserves_an_evse_and_cancels_it(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    station_id = await register(tenant)
    tag = tenant.unique("RES")
    assert (await tenant.api.post("/id-tags", json={"value": tag})).status_code == 201
    operator = await make_user(tenant, "operator")
    async with (
        scripted_station(tenant.server.ocpp_url, station_id) as station,
        signed_in(browser, tenant, operator, timezone="Europe/Berlin") as page,
    ):
        await page.goto(f"/stations/{station_id}")
        await page.get_by_label("Tag to reserve for").fill(tag)
        # Berlin's winter time is UTC+1: the station is told the instant the operator meant.
        await page.get_by_label("Reserved until").fill("2099-01-01T12:00")
        await page.get_by_role("button", name="Reserve", exact=True).click()
        await expect(page.locator("#command-result")).to_contain_text("Accepted")
        await expect(page.locator("#station-reservations")).to_contain_text(tag)
        await page.get_by_role("button", name="Cancel reservation").click()
        await expect(page.locator("#station-reservations")).to_contain_text("No active reservation")
    [reserve] = station.calls("ReserveNow")
    assert reserve["idTag"] == tag and reserve["expiryDate"].startswith("2099-01-01T11:00:00")
    assert len(station.calls("CancelReservation")) == 1


async def test_an_operator_plans_maintenance_and_cancels_it(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    station_id = await register(tenant)
    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator, timezone="Europe/Berlin") as page:
        await page.get_by_role("link", name="Maintenance").click()
        await expect(page.locator("#maintenance-windows")).to_contain_text("No window matches")
        await page.get_by_label("For station (id)").fill(station_id)
        # Berlin's summer time is UTC+2: the window is sent as the instant the operator meant.
        await page.get_by_label("From", exact=True).fill("2099-07-01T06:00")
        await page.get_by_label("Until", exact=True).fill("2099-07-01T09:30")
        await page.get_by_label("Reason").fill("swap the cable")
        await page.get_by_role("button", name="Plan window").click()
        rows = page.locator("#maintenance-windows tbody tr")
        await expect(rows).to_contain_text("swap the cable")
        await expect(rows).to_contain_text(station_id)
        windows = (await tenant.api.get("/maintenance-windows")).json()["items"]
        assert [(w["station_id"], w["starts_at"], w["ends_at"]) for w in windows] == [
            (station_id, "2099-07-01T04:00:00Z", "2099-07-01T07:30:00Z")
        ]
        # Shown back in the browser's zone.
        await expect(rows.locator("time").first).to_contain_text("6:00:00 AM")
        await page.get_by_role("button", name="Cancel the window").click()
        await expect(page.locator("#maintenance-windows")).to_contain_text("No window matches")
    assert (await tenant.api.get("/maintenance-windows")).json()["total"] == 0


async def test_an_operator_offers_a_plan_and_subscribes_a_driver(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    made = await tenant.api.post("/drivers", json={"name": "Ada", "email": "ada@example.com"})
    driver_id = made.json()["id"]
    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator) as page:
        await page.get_by_role("link", name="Drivers").click()
        await page.get_by_role("link", name="Subscription plans").click()
        await page.get_by_label("Plan name").fill("Commuter")
        await page.get_by_label("Fee a month").fill("9.90")
        await page.get_by_label("Included kWh a month").fill("50")
        await page.get_by_role("button", name="Add plan").click()
        await expect(page.locator("#plans")).to_contain_text("9.90 EUR")
        await expect(page.locator("#plans")).to_contain_text("50 kWh")

        await page.goto(f"/drivers/{driver_id}")
        await page.get_by_label("Plan", exact=True).select_option(
            label="Commuter (9.90 EUR a month)"
        )
        await page.get_by_role("button", name="Subscribe").click()
        await expect(page.locator("[data-subscription-status]")).to_have_text("active")
        await expect(page.locator("#driver-balance")).to_have_text("-9.90 EUR")
        await page.get_by_role("button", name="Stop renewing").click()
        await expect(page.locator("[data-subscription-renew]")).to_have_text("no")
        await page.get_by_role("button", name="Cancel the subscription now").click()
        await expect(page.locator("[data-subscription-status]")).to_have_text("canceled")

        await page.goto("/subscription-plans")
        await page.get_by_role("button", name="Retire plan Commuter").click()
        await expect(page.locator("[data-plan-status]")).to_have_text("retired")
    subscriptions = (await tenant.api.get(f"/drivers/{driver_id}/subscriptions")).json()
    assert [(s["status"], s["auto_renew"]) for s in subscriptions["items"]] == [("canceled", False)]


async def test_an_operator_builds_a_tariff_group(browser: "Browser", tenant: Tenant) -> None:
    from playwright.async_api import expect

    for name in ("Standard", "Fleet rate"):
        made = await tenant.api.post(
            "/tariffs",
            json={
                "name": name,
                "currency": "EUR",
                "elements": [{"price_components": [{"type": "ENERGY", "price": "0.30"}]}],
            },
        )
        assert made.status_code == 201, made.text
    tag = tenant.unique("FLEET")
    assert (await tenant.api.post("/id-tags", json={"value": tag})).status_code == 201
    depot = (await tenant.api.post("/locations", json={"name": "Depot"})).json()
    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator) as page:
        await page.get_by_role("link", name="Tariffs").click()
        await page.get_by_role("link", name="Tariff groups").click()
        await page.get_by_label("Group name").fill("Fleet")
        await page.get_by_label("Tariff", exact=True).last.select_option(label="Fleet rate (EUR)")
        await page.get_by_label("ID tags (values)").fill(tag)
        await page.get_by_label("Depot").check()
        await page.get_by_role("button", name="Add group").click()
        await expect(page.locator("#group-name")).to_have_text("Fleet")
        await expect(page.locator("#group-tariff")).to_have_text("Fleet rate")
        await expect(page.locator("#group-tags")).to_have_text(tag)
        await expect(page.locator("#group-places")).to_contain_text("Depot")

        await page.get_by_label("Depot").uncheck()
        await page.get_by_label("Whole organization").check()
        await page.get_by_role("button", name="Save group").click()
        await expect(page.locator("#group-places")).to_have_text("whole organization")
        group_id = page.url.rsplit("/", 1)[1]
        stored = (await tenant.api.get(f"/tariff-groups/{group_id}")).json()
        assert (stored["id_tags"], stored["places"]) == (
            [tag],
            [{"kind": "organization", "id": None}],
        )

        await page.get_by_role("button", name="Delete tariff group Fleet").click()
        await expect(page.locator("#tariff-groups")).to_contain_text("No group matches")
    assert depot["id"] and (await tenant.api.get(f"/tariff-groups/{group_id}")).status_code == 404
