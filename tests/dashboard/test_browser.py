"""The dashboard in a real browser (headless Chromium): signing in and out, what a viewer may
not do, a station's status appearing live, a remote start that starts a simulated session, a
circuit's load plotted under its limit, API tokens and webhooks by role, building a circuit, a
power limit, reports, tariffs, drivers and alert rules edited, and every page's controls
labelled and fitting a phone."""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from chargeyard.simulator.connector import ConnectorStatus
from chargeyard.simulator.v16 import SimulatedStation
from tests.commands.conftest import register
from tests.conftest import Tenant
from tests.dashboard.browser import DEADLINE_MS, PHONE, check_phone_page, signed_in
from tests.dashboard.conftest import make_user
from tests.load_management.conftest import simulated_site, until
from tests.support.ocpp_client import PASSWORD

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page


@asynccontextmanager
async def simulated(tenant: Tenant, station_id: str) -> AsyncIterator[SimulatedStation]:
    station = SimulatedStation(
        tenant.server.ocpp_url, station_id, password=PASSWORD, meter_interval=1
    )
    try:
        assert await station.ensure_online()
        yield station
    finally:
        await station.close()


async def live(page: "Page") -> None:
    """Wait until the page's event stream is open: what happens next reaches it."""
    await page.locator("body[data-live=open]").wait_for(state="attached", timeout=DEADLINE_MS)


async def test_sign_in_and_out(browser: "Browser", tenant: Tenant) -> None:
    from playwright.async_api import expect

    user = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, user) as page:
        await expect(page.get_by_text("(operator)")).to_be_visible()
        await page.get_by_role("button", name="Sign out").click()
        await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
        await page.goto("/stations")
        await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


async def test_a_viewer_sees_no_command_buttons_and_is_refused(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    station_id = await register(tenant)
    viewer = await make_user(tenant, "viewer")
    async with signed_in(browser, tenant, viewer) as page:
        await page.goto(f"/stations/{station_id}")
        await expect(page.locator("#station-id")).to_have_text(station_id)
        await expect(page.get_by_role("button", name="Start session")).to_have_count(0)
        await expect(page.get_by_role("button", name="Reset station")).to_have_count(0)
        csrf = await page.locator("body").get_attribute("data-csrf")
        answer = await page.request.post(
            f"/stations/{station_id}/commands/remote-start",
            form={"csrf_token": csrf or "", "id_tag": "ANY"},
        )
        assert answer.status == 403


async def test_a_status_change_appears_on_the_station_and_stations_pages(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    station_id = await register(tenant)
    viewer = await make_user(tenant, "viewer")
    async with simulated(tenant, station_id) as station, signed_in(browser, tenant, viewer) as page:
        await page.goto(f"/stations/{station_id}")
        cell = page.locator(f'[data-connector-status="{station_id}/2/1"]')
        await expect(cell).to_have_text("Available", timeout=DEADLINE_MS)
        await live(page)
        await page.evaluate("window.notReloaded = true")
        started = time.monotonic()
        await station.status(2, ConnectorStatus.FAULTED)
        await expect(cell).to_have_text("Faulted", timeout=2_000)
        elapsed = time.monotonic() - started
        assert await page.evaluate("window.notReloaded") is True
        assert elapsed < 2.0

        await page.goto(f"/stations?q={station_id}")
        badge = page.locator(f'[data-connector-status="{station_id}/2/1"]')
        await expect(badge).to_have_text("Faulted")
        await live(page)
        await station.status(2, ConnectorStatus.AVAILABLE)
        await expect(badge).to_have_text("Available", timeout=2_000)


async def test_a_remote_start_from_the_station_page(browser: "Browser", tenant: Tenant) -> None:
    from playwright.async_api import expect

    station_id = await register(tenant)
    await tenant.api.post("/id-tags", json={"value": "BROWSERTAG", "status": "Accepted"})
    operator = await make_user(tenant, "operator")
    async with (
        simulated(tenant, station_id) as station,
        signed_in(browser, tenant, operator) as page,
    ):
        await page.goto(f"/stations/{station_id}")
        await live(page)
        await page.get_by_label("ID tag").fill("BROWSERTAG")
        await page.get_by_label("EVSE", exact=True).select_option("1")
        await page.get_by_role("button", name="Start session").click()
        await expect(page.locator("#command-result")).to_contain_text(
            "Accepted", timeout=DEADLINE_MS
        )
        session_link = page.locator("#station-sessions a").first
        await expect(session_link).to_be_visible(timeout=DEADLINE_MS)
        assert station.connector(1).transaction is not None
        await session_link.click()
        plot = page.locator("#session-plot")
        await expect(plot.locator("canvas")).to_be_attached(timeout=DEADLINE_MS)
        await expect(plot).not_to_have_attribute("data-points", "0", timeout=DEADLINE_MS)
        listing = (await tenant.api.get("/transactions", params={"station_id": station_id})).json()
        assert listing["total"] == 1 and listing["items"][0]["id_tag"] == "BROWSERTAG"


async def test_a_circuit_page_plots_load_under_the_limit(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    viewer = await make_user(tenant, "viewer")
    async with (
        simulated_site(
            tenant,
            1,
            connectors=2,
            station_options={"meter_interval": 1},
            max_power_kw=22,
            buffer_kw=1,
        ) as site,
        signed_in(browser, tenant, viewer) as page,
    ):
        await page.get_by_role("link", name="Smart charging").click()
        await page.get_by_role("link", name="site").click()
        await expect(page.locator("#limit-now")).to_have_text("21.0 kW")
        await live(page)
        await site.start(0, 1)
        await site.start(0, 2)
        # Once both sessions have their own limits, each connector reports what it draws.
        await until(lambda: len(limits := site.session_limits_w()) == 2 and sum(limits) <= 21_000)
        station = site.stations[0]
        await station.report_meter(1)
        await station.report_meter(2)
        plot = page.locator("#circuit-plot")
        await expect(plot.locator("canvas")).to_be_attached(timeout=DEADLINE_MS)
        await expect(page.locator("#circuit-sessions tbody tr")).to_have_count(2)
        # The readings reach the open page through the event stream: no reload.
        await page.wait_for_function(
            "Number(document.getElementById('circuit-plot').dataset.maxLoad) > 0",
            timeout=DEADLINE_MS,
        )
        figures = await plot.evaluate("el => Object.assign({}, el.dataset)")
        # What the station accepted is listed too, refreshed as profiles are delivered.
        await expect(page.locator("#circuit-profiles")).to_contain_text("TxProfile")
        await expect(page.locator("#circuit-profiles")).to_contain_text("delivered")
    assert 0 < float(figures["maxLoad"]) <= float(figures["minLimit"]) == 21.0, figures
    assert 0 < float(figures["maxLimits"]) <= 21.0, figures


async def test_an_admin_issues_a_token_shown_once_and_revokes_it(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    admin = await make_user(tenant, "admin")
    async with signed_in(browser, tenant, admin) as page:
        await page.get_by_role("link", name="API tokens").click()
        await page.get_by_label("Name").fill("nightly export")
        await page.get_by_label("Role").select_option("operator")
        await page.get_by_role("button", name="Issue token").click()
        secret = await page.get_by_label("Secret").input_value()
        assert len(secret) > 20
        row = page.locator("#tokens tr", has_text="nightly export")
        await expect(row).to_contain_text("operator")
        # Reloading fetches /tokens (the page forgot the form): no second token, no secret.
        await page.reload()
        assert secret not in await page.content()
        await page.get_by_role("button", name="Revoke token nightly export").click()
        await expect(page.locator("#tokens tr", has_text="nightly export")).to_have_count(0)
    live_tokens = (await tenant.api.get("/tokens")).json()["items"]
    assert [t["name"] for t in live_tokens if t["name"] == "nightly export"] == []


async def test_webhooks_and_their_delivery_log_by_role(browser: "Browser", tenant: Tenant) -> None:
    from playwright.async_api import expect

    from tests.webhooks.receiver import running_receiver

    admin = await make_user(tenant, "admin")
    viewer = await make_user(tenant, "viewer")
    async with running_receiver() as receiver:
        async with signed_in(browser, tenant, admin) as page:
            await page.get_by_role("link", name="Webhooks").click()
            await page.get_by_label("URL").fill(receiver.url)
            await page.get_by_label("Events").fill("session.*")
            await page.get_by_role("button", name="Subscribe").click()
            await expect(page.get_by_label("Signing secret")).not_to_have_value("")
            await page.get_by_role("link", name=receiver.url).click()
            await page.get_by_role("button", name="Send a ping").click()
            log = page.locator("#attempts tbody tr").first
            await expect(log).to_contain_text("webhook.ping")
            await expect(log).to_contain_text("200")
            hook_path = page.url.removeprefix(tenant.server.base_url)
        async with signed_in(browser, tenant, viewer) as page:
            await page.goto(hook_path)
            await expect(page.locator("#attempts")).to_contain_text("webhook.ping")
            await expect(page.get_by_role("button", name="Send a ping")).to_have_count(0)
            await expect(page.get_by_role("button", name="Delete webhook")).to_have_count(0)
            csrf = await page.locator("body").get_attribute("data-csrf")
            forged = await page.request.post(f"{hook_path}/delete", form={"csrf_token": csrf or ""})
            assert forged.status == 403
    assert len(receiver.received) == 1


async def test_an_alert_appears_live_and_an_operator_acknowledges_it(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    station_id = await register(tenant)
    operator = await make_user(tenant, "operator")
    async with (
        simulated(tenant, station_id) as station,
        signed_in(browser, tenant, operator) as page,
    ):
        await page.get_by_role("link", name="Alerts", exact=True).click()
        await page.get_by_label("Station").fill(station_id)
        await page.get_by_role("button", name="Filter").click()
        await expect(page.locator("#alerts-rows")).to_contain_text("No alert matches")
        await live(page)
        await page.evaluate("window.notReloaded = true")
        await station.status(2, ConnectorStatus.FAULTED)
        link = page.locator("#alerts-rows a", has_text="connector faulted")
        await expect(link).to_be_visible(timeout=DEADLINE_MS)
        assert await page.evaluate("window.notReloaded") is True
        await link.click()
        await page.get_by_label("Note (needed to resolve)").fill("technician on the way")
        await page.get_by_role("button", name="Acknowledge").click()
        await expect(page.locator("#alert-state")).to_have_text("Acknowledged")
        await expect(page.locator("#alert-notes")).to_contain_text("technician on the way")
        await expect(page.locator("#alert-notes")).to_contain_text(operator.email)


async def test_an_operator_builds_a_circuit_with_a_station_and_a_window(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    station_id = await register(tenant)
    operator = await make_user(tenant, "operator")
    async with signed_in(
        browser, tenant, operator, timezone="Europe/Berlin", refused=(409,)
    ) as page:
        await page.get_by_role("link", name="Smart charging").click()
        await page.get_by_label("Circuit name", exact=True).fill("Depot")
        await page.get_by_label("Limit (kW)").fill("40")
        await page.get_by_role("button", name="Create circuit").click()
        await expect(page.locator("#circuit-name")).to_have_text("Depot")
        await expect(page.locator("#limit-now")).to_have_text("40.0 kW")
        circuit_path = page.url.removeprefix(tenant.server.base_url)

        await page.get_by_label("Station id").fill(station_id)
        await page.get_by_role("button", name="Put on this circuit").click()
        await expect(page.locator("#circuit-stations")).to_contain_text(station_id)

        # Berlin's winter time is UTC+1: the window is sent as the instant the operator meant.
        await page.get_by_label("From", exact=True).fill("2099-01-01T09:00")
        await page.get_by_label("Until", exact=True).fill("2099-01-01T11:00")
        await page.locator("#window-kw").fill("12")
        await page.get_by_role("button", name="Add window").click()
        await expect(page.locator("#circuit-windows tbody tr")).to_contain_text("12.0 kW")
        circuit_id = circuit_path.rsplit("/", 1)[1]
        windows = (await tenant.api.get(f"/circuits/{circuit_id}/capacity-windows")).json()
        assert [(w["starts_at"][:16], w["ends_at"][:16]) for w in windows] == [
            ("2099-01-01T08:00", "2099-01-01T10:00")
        ]
        await page.get_by_role("button", name="Remove the window").click()
        await expect(page.locator("#circuit-windows")).to_contain_text("None now or ahead")

        # A circuit with a station is not deleted: the page says why.
        await page.get_by_role("button", name="Delete circuit").click()
        await expect(page.locator("main")).to_contain_text("still has stations")
        await page.goto(circuit_path)
        await page.get_by_role("button", name=f"Take {station_id} off this circuit").click()
        await expect(page.locator("#circuit-stations")).to_contain_text("No station hangs")
        await page.get_by_role("button", name="Delete circuit").click()
        await expect(page.get_by_role("heading", name="Smart charging")).to_be_visible()
        await expect(page.get_by_role("link", name="Depot")).to_have_count(0)
    assert (await tenant.api.get(f"/circuits/{circuit_id}")).status_code == 404


async def test_an_operator_limits_a_station_s_power(browser: "Browser", tenant: Tenant) -> None:
    from playwright.async_api import expect

    station_id = await register(tenant)
    operator = await make_user(tenant, "operator")
    async with simulated(tenant, station_id), signed_in(browser, tenant, operator) as page:
        await page.goto(f"/stations/{station_id}")
        await page.get_by_label("Limit", exact=True).select_option("1")
        await page.get_by_label("to", exact=True).fill("7.4")
        await page.get_by_label("Unit").select_option("kW")
        await page.get_by_role("button", name="Set power limit").click()
        result = page.locator("#command-result")
        await expect(result).to_contain_text("power-limit: Accepted", timeout=DEADLINE_MS)
        await page.get_by_label("Remove the power limit of").select_option("1")
        await page.get_by_role("button", name="Remove power limit").click()
        await expect(result).to_contain_text("clear power limit: Accepted", timeout=DEADLINE_MS)
    commands = (await tenant.api.get("/commands", params={"station_id": station_id})).json()
    assert [c["command"] for c in reversed(commands["items"])] == [
        "set-charging-profile",
        "clear-charging-profile",
    ]


async def test_a_viewer_downloads_a_report_and_has_one_built(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    station_id = await register(tenant)
    viewer = await make_user(tenant, "viewer")
    async with simulated(tenant, station_id), signed_in(browser, tenant, viewer) as page:
        await page.get_by_role("link", name="Reports").click()
        await page.get_by_label("Report", exact=True).select_option("status-history")
        await page.get_by_role("button", name="Choose report").click()
        await page.get_by_label("Station ID").fill(station_id)
        async with page.expect_download() as downloading:
            await page.get_by_role("button", name="Download now").click()
        download = await downloading.value
        assert download.suggested_filename == "status-history.csv"
        lines = (await asyncio.to_thread(Path(await download.path()).read_text)).splitlines()
        assert lines[0].startswith("id,station_id") and len(lines) > 1
        assert all(station_id in line for line in lines[1:])

        await page.get_by_label("Format").select_option("xlsx")
        await page.get_by_role("button", name="Build in the background").click()
        await expect(page.get_by_role("heading", name="Report: status history")).to_be_visible()
        link = page.get_by_role("link", name="Download status-history.xlsx")
        await expect(link).to_be_visible(timeout=DEADLINE_MS)
        async with page.expect_download() as downloading:
            await link.click()
        built = await downloading.value
        assert (await asyncio.to_thread(Path(await built.path()).read_bytes))[:2] == b"PK"
        await page.get_by_role("link", name="Back to reports").click()
        await expect(page.locator("#reports-rows")).to_contain_text("ready")


async def test_an_operator_creates_a_tariff_and_makes_a_new_version(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator) as page:
        await page.get_by_role("link", name="Tariffs").click()
        await page.get_by_label("Tariff name").fill("Depot AC")
        await page.get_by_label("Tax rate (%)").fill("19")
        await page.get_by_label("Line 1: kind").select_option("ENERGY")
        await page.get_by_label("Line 1: price").fill("0.39")
        await page.get_by_label("Line 2: kind").select_option("FLAT")
        await page.get_by_label("Line 2: price").fill("1.00")
        await page.get_by_role("button", name="Create tariff").click()
        await expect(page.locator("#tariff-name")).to_have_text("Depot AC")
        await expect(page.locator("#elements")).to_contain_text("0.39 EUR per kWh")
        await expect(page.locator("#elements")).to_contain_text("1.00 EUR per session")

        await page.get_by_label("Line 1: price").fill("0.35")
        await page.get_by_role("button", name="Save tariff").click()
        await expect(page.locator("#elements")).to_contain_text("0.35 EUR per kWh")
        await expect(page.locator("#tariff-version")).to_have_text("2")


async def test_an_operator_adds_a_driver_and_tops_up_the_balance(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator) as page:
        await page.get_by_role("link", name="Drivers").click()
        await page.get_by_label("Driver name").fill("Grace Hopper")
        await page.get_by_label("Driver e-mail").fill(f"{tenant.unique('grace')}@example.com")
        await page.get_by_label("Payment").select_option("prepaid")
        await page.get_by_role("button", name="Add driver").click()
        await expect(page.locator("#driver-name")).to_have_text("Grace Hopper")
        await expect(page.locator("#driver-payment")).to_have_text("prepaid")

        await page.get_by_label("Amount (EUR)").fill("20")
        await page.get_by_label("Reference").fill("paid at the desk")
        await page.get_by_role("button", name="Record top-up").click()
        await expect(page.locator("#driver-balance")).to_have_text("20.00 EUR")
        await expect(page.locator("#ledger")).to_contain_text("paid at the desk")

        await page.locator("#edit-driver-status").select_option("disabled")
        await page.get_by_role("button", name="Save driver").click()
        await expect(page.locator("#driver-status")).to_have_text("disabled")


async def test_an_operator_switches_an_alert_rule_off_and_on(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator) as page:
        await page.get_by_role("link", name="Alerts", exact=True).click()
        await page.get_by_role("link", name="Alert rules").click()
        card = page.locator("#rule-connector-faulted")
        await card.get_by_label("Raise alerts").select_option("false")
        await card.get_by_label("Urgency").select_option("Low")
        await card.get_by_role("button", name="Save rule").click()
        await expect(page.locator('[data-rule-enabled="connector-faulted"]')).to_have_text("off")
        await expect(page.locator('[data-rule-urgency="connector-faulted"]')).to_have_text("Low")
        await card.get_by_label("Raise alerts").select_option("true")
        await card.get_by_label("Urgency").select_option("")
        await card.get_by_role("button", name="Save rule").click()
        await expect(page.locator('[data-rule-enabled="connector-faulted"]')).to_have_text("on")
        await expect(page.locator('[data-rule-urgency="connector-faulted"]')).to_contain_text(
            "(default)"
        )
    rules = (await tenant.api.get("/alert-rules")).json()
    faulted = next(r for r in rules if r["name"] == "connector-faulted")
    assert faulted["enabled"] is True and faulted["urgency"] == faulted["default_urgency"]


async def test_every_page_labels_every_control_and_fits_a_phone(
    browser: "Browser", tenant: Tenant
) -> None:
    circuit = await tenant.api.post("/circuits", json={"name": "Hall", "max_power_kw": 11})
    hook = await tenant.api.post("/webhooks", json={"url": "http://127.0.0.1:9/x", "events": ["*"]})
    tariff = await tenant.api.post(
        "/tariffs",
        json={
            "name": "AC",
            "currency": "EUR",
            "elements": [{"price_components": [{"type": "ENERGY", "price": "0.3"}]}],
        },
    )
    driver = await tenant.api.post("/drivers", json={"name": "Ada", "email": "ada@example.com"})
    station_id = await register(tenant)
    admin = await make_user(tenant, "admin")
    report = await tenant.api.post("/reports", json={"kind": "alerts", "format": "csv"})
    url = "https://firmware.example.com/" + "a-long-path-segment-without-spaces" * 4
    refused = await tenant.api.post(  # the station is offline: 409, and the log keeps it
        f"/stations/{station_id}/commands/update-firmware",
        json={"location": url, "retrieve_at": "2099-01-01T00:00:00Z"},
    )
    assert refused.status_code == 409, refused.text
    [command] = (await tenant.api.get("/commands", params={"station_id": station_id})).json()[
        "items"
    ]
    await tenant.api.post(
        "/maintenance-windows",
        json={
            "station_id": station_id,
            "starts_at": "2099-01-01T00:00:00Z",
            "ends_at": "2099-01-02T00:00:00Z",
            "reason": "a long reason that wraps on a phone rather than widen the page",
        },
    )
    await tenant.api.post(
        "/subscription-plans", json={"name": "Gold", "fee": "9", "currency": "EUR"}
    )
    await tenant.api.post(
        "/vouchers", json={"code": "PHONE-1", "kind": "amount", "amount": "5", "currency": "EUR"}
    )
    site = await tenant.api.post("/locations", json={"name": "Depot", "city": "Utrecht"})
    group = await tenant.api.post(
        "/tariff-groups",
        json={
            "name": "Fleet",
            "tariff_id": tariff.json()["id"],
            "places": [{"kind": "station", "id": station_id}],
        },
    )
    paths = [
        "/",
        "/stations",
        "/locations",
        f"/locations/{site.json()['id']}",
        "/sessions",
        "/cdrs",
        "/id-tags",
        "/users",
        "/vouchers",
        "/maintenance-windows",
        "/subscription-plans",
        "/tariff-groups",
        f"/tariff-groups/{group.json()['id']}",
        f"/stations/{station_id}",
        f"/stations/{station_id}/configuration",
        f"/stations/{station_id}/monitors",
        "/reports?kind=alerts",
        "/alert-rules",
        "/alert-notifications",
        "/vendor-error-codes",
        "/vehicles",
        f"/reports/{report.json()['id']}",
        "/circuits",
        f"/circuits/{circuit.json()['id']}",
        "/tokens",
        "/webhooks",
        f"/webhooks/{hook.json()['id']}",
        "/alerts",
        "/events",
        "/commands",
        f"/commands/{command['id']}",
        "/tariffs",
        f"/tariffs/{tariff.json()['id']}",
        "/drivers",
        f"/drivers/{driver.json()['id']}",
    ]
    async with signed_in(browser, tenant, admin) as page:
        await page.set_viewport_size(PHONE)
        for path in paths:
            await page.goto(path)
            await check_phone_page(page, path)
