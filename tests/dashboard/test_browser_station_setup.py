"""Firmware images, a station's device model, its monitors and its EVSE wiring in a real browser
(headless Chromium): an operator uploads an image and makes the link a station fetches it by,
sets a variable of a simulated OCPP 2.0.1 station and sees the station's answer and its fresh
report, sets a monitor on it and clears it once the station reported it, and wires an EVSE to
one line; a refused value is said beside its field, in the focused list
above the form, with everything typed kept; each page labels its controls and fits a phone."""

from typing import TYPE_CHECKING

from tests.commands.v201.test_simulated_station import simulated
from tests.conftest import Tenant
from tests.dashboard.browser import PHONE, check_phone_page, signed_in
from tests.dashboard.conftest import make_user
from tests.dashboard.test_device_model import heartbeat, reported
from tests.dashboard.test_wiring import with_evses
from tests.protocol.conftest import eventually
from tests.support.http import http_client

if TYPE_CHECKING:
    from playwright.async_api import Browser

REFUSED = (422,)
"""The forms refused on purpose answer 422 with the form (the browser logs the status)."""
IMAGE = b"\x7fELF firmware 2.1" * 64


async def test_an_operator_uploads_firmware_and_links_it(
    browser: "Browser", tenant: Tenant
) -> None:
    from playwright.async_api import expect

    operator = await make_user(tenant, "operator")
    async with signed_in(browser, tenant, operator, refused=REFUSED) as page:
        await page.get_by_role("link", name="Stations", exact=True).click()
        await page.get_by_role("link", name="Firmware").click()
        await expect(page.locator("#firmware-images")).to_contain_text("No firmware image yet")
        upload = page.locator("#firmware-upload")
        empty = {"name": "empty.bin", "mimeType": "application/octet-stream", "buffer": b""}
        await upload.get_by_label("Firmware image").set_input_files(empty)
        await upload.get_by_role("button", name="Upload").click()
        await expect(page.locator("#upload-errors")).to_be_focused()
        await expect(page.locator("#upload-file-error")).to_contain_text("empty")
        image = {"name": "wallbox-2.1.bin", "mimeType": "application/octet-stream", "buffer": IMAGE}
        await upload.get_by_label("Firmware image").set_input_files(image)
        await upload.get_by_role("button", name="Upload").click()
        await expect(page.locator("#image-name")).to_have_text("wallbox-2.1.bin")

        link = page.locator("#link-new")
        await link.get_by_label("Valid for").select_option(label="1 hour")
        await link.get_by_label("Downloads allowed").fill("1")
        await link.get_by_role("button", name="Make link").click()
        url = await page.get_by_label("Link for the station's Update firmware form").input_value()
        async with http_client() as station:  # what UpdateFirmware's location fetches
            fetched = await station.get(url)
        assert fetched.content == IMAGE

        await page.set_viewport_size(PHONE)
        await check_phone_page(page, "/firmware/…")
        await page.reload()
        await expect(page.locator("#image-downloads")).to_have_text("1")
        await page.get_by_role("button", name="Delete firmware wallbox-2.1.bin").click()
        await expect(page.locator("#firmware-images")).to_contain_text("No firmware image yet")
        await check_phone_page(page, "/firmware")
    assert (await tenant.api.get("/files", params={"kind": "firmware"})).json()["total"] == 0


async def test_an_operator_sets_a_variable_of_a_station(browser: "Browser", tenant: Tenant) -> None:
    from playwright.async_api import expect

    operator = await make_user(tenant, "operator")
    async with (
        simulated(tenant) as (station_id, station),
        signed_in(browser, tenant, operator, refused=REFUSED) as page,
    ):

        async def described() -> bool:
            return len(await reported(tenant, station_id)) > 0

        await eventually(described)
        await page.goto(f"/stations/{station_id}")
        await page.get_by_role("link", name="Device model").click()
        search = page.locator("#device-model-filter")
        await search.get_by_label("Component").select_option("OCPPCommCtrlr")
        await search.get_by_role("button", name="Filter").click()
        rows = page.locator("#device-variables tbody")
        await expect(rows).to_contain_text("HeartbeatInterval")
        await expect(rows).not_to_contain_text("TxUpdatedInterval")
        await page.get_by_role("link", name="Set OCPPCommCtrlr HeartbeatInterval").click()

        form = page.locator("#variable-set")
        await form.get_by_label("EVSE").fill("first")
        await form.get_by_label("Value").fill("120")
        await form.get_by_role("button", name="Set variable").click()
        await expect(page.locator("#set-errors")).to_be_focused()
        await expect(page.locator("#set-evse_id-error")).to_be_visible()
        await expect(form.get_by_label("Value")).to_have_value("120")
        await form.get_by_label("EVSE").fill("")
        await form.get_by_role("button", name="Set variable").click()
        await expect(page.locator("#command-result")).to_contain_text("set-variables")
        await expect(page.locator("#command-result")).to_contain_text("Accepted")
        assert station.device_model.value("OCPPCommCtrlr", "HeartbeatInterval") == "120"

        await page.get_by_role("button", name="Ask the station to report again").click()
        await expect(page.locator("#command-result")).to_contain_text("get-base-report")

        async def updated() -> bool:
            return (await heartbeat(tenant, station_id))["value"] == "120"

        await eventually(updated)
        await page.goto(f"/stations/{station_id}/device-model?component=OCPPCommCtrlr")
        value = page.locator('[data-variable-value="OCPPCommCtrlr.HeartbeatInterval"]')
        await expect(value).to_contain_text("120")
        await page.set_viewport_size(PHONE)
        await check_phone_page(page, "/stations/…/device-model")


async def test_an_operator_sets_and_clears_a_monitor(browser: "Browser", tenant: Tenant) -> None:
    from playwright.async_api import expect

    operator = await make_user(tenant, "operator")
    async with (
        simulated(tenant) as (station_id, station),
        signed_in(browser, tenant, operator, refused=REFUSED) as page,
    ):
        await page.goto(f"/stations/{station_id}")
        await page.get_by_role("link", name="Monitors").click()
        await expect(page.locator("#device-monitors")).to_contain_text("No monitor reported")
        form = page.locator("#monitor-set")
        await form.get_by_label("Component", exact=True).fill("EVSE")
        await form.get_by_label("EVSE", exact=True).fill("1")
        await form.get_by_label("Variable", exact=True).fill("Power")
        await form.get_by_label("Threshold or interval").fill("high")
        await form.get_by_role("button", name="Set monitor").click()
        await expect(page.locator("#monitor-errors")).to_be_focused()
        await expect(page.locator("#monitor-value-error")).to_be_visible()
        await expect(form.get_by_label("Variable", exact=True)).to_have_value("Power")
        await form.get_by_label("Threshold or interval").fill("20000")
        await form.get_by_label("Severity").select_option("4")
        await form.get_by_role("button", name="Set monitor").click()
        await expect(page.locator("#command-result")).to_contain_text("Accepted")
        assert [m.value for m in station.device_model.monitors.values()] == [20000.0]

        await station.notify_monitoring_report()
        await page.goto(f"/stations/{station_id}/monitors")
        await expect(page.locator("#monitor-1")).to_contain_text("UpperThreshold")
        await page.set_viewport_size(PHONE)
        await check_phone_page(page, "/stations/…/monitors")
        await page.get_by_role("button", name="Clear monitor 1").click()
        await expect(page.locator("#command-result")).to_contain_text("clear-variable-monitoring")
        await expect(page.locator("#device-monitors")).to_contain_text("No monitor reported")
    assert station.device_model.monitors == {}


async def test_an_operator_wires_an_evse_to_one_line(browser: "Browser", tenant: Tenant) -> None:
    from playwright.async_api import expect

    operator = await make_user(tenant, "operator")
    async with (
        simulated(tenant) as (station_id, _station),
        signed_in(browser, tenant, operator, refused=REFUSED) as page,
    ):
        await with_evses(tenant, station_id)
        await page.goto(f"/stations/{station_id}")
        await page.get_by_role("link", name="EVSE wiring").click()
        await expect(page.locator('[data-evse-source="1"]')).to_have_text("assumed")
        await page.get_by_role("link", name="Set the wiring of EVSE 1").click()
        form = page.locator("#wiring-set")
        await expect(form.get_by_label("EVSE")).to_have_value("1")
        await form.get_by_label("Supply").select_option(label="AC single-phase")
        await form.get_by_label("Max power (kW)").fill("7.4")
        await form.get_by_role("button", name="Save wiring").click()
        await expect(page.locator("#wiring-errors")).to_be_focused()
        await expect(page.locator("#wiring-lines-error")).to_contain_text("single-phase")
        await expect(form.get_by_label("Max power (kW)")).to_have_value("7.4")
        await form.get_by_label("Lines").fill("L3")
        await form.get_by_role("button", name="Save wiring").click()
        await expect(page.locator('[data-evse-lines="1"]')).to_have_text("L3")
        await expect(page.locator('[data-evse-source="1"]')).to_have_text("its own")
        await expect(page.locator('[data-evse-source="2"]')).to_have_text("assumed")
        await page.set_viewport_size(PHONE)
        await check_phone_page(page, "/stations/…/wiring")
