"""Screenshots of the dashboard's main pages, desktop and phone, from a demo network (see
scripts/dashboard-screenshots)."""

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import httpx
import uvicorn
from playwright.async_api import Page, async_playwright

from chargeyard.api.app import create_app
from chargeyard.clock import utcnow
from chargeyard.dashboard.hardware_templates import EXAMPLE_LAYOUT
from chargeyard.organizations.service import UserService, ensure_organization, issue_token
from chargeyard.settings import Settings
from chargeyard.simulator.connector import ConnectorStatus
from chargeyard.simulator.station_v201 import SimulatedStationV201
from chargeyard.simulator.v16 import SimulatedStation
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async

PORT = 18765
EMAIL, PASSWORD = "operator@example.com", "a-long-demo-password"
ADMIN_EMAIL = "admin@example.com"
STATION_PASSWORD = "demo-station-password"
DEVICE_STATION = "CY-201"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SITES = [
    ("Depot Amsterdam", "52.3702", "4.8952"),
    ("Utrecht Centraal", "52.0894", "5.1100"),
    ("Rotterdam Port", "51.9225", "4.4792"),
]


async def demo_data(url: str) -> str:
    await upgrade_async(url)
    db = Database(url)
    async with db.writing() as uow:
        org = await ensure_organization(uow.session, "Demo")
        await UserService(uow, org.id, utcnow).create(EMAIL, PASSWORD, "operator", "Olga Operator")
        await UserService(uow, org.id, utcnow).create(ADMIN_EMAIL, PASSWORD, "admin", "Ada Admin")
        token = await issue_token(uow.session, org.id, "admin", "screenshots")
        await uow.commit()
    await db.dispose()
    return token.secret


async def network(base: str, token: str) -> tuple[list[str], str, str, list[str]]:
    """Three located sites of two stations each; the first site's under a 22 kW circuit, the last
    in maintenance; a tariff group and a subscription plan. The stations, the circuit, the
    tariff group and the sites."""
    api = httpx.AsyncClient(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"})
    ids, site_ids = [], []
    async with api:
        await api.post("/id-tags", json={"value": "DEMO-CARD", "status": "Accepted"})
        circuit = await api.post(
            "/circuits", json={"name": "Depot Amsterdam", "max_power_kw": 22, "buffer_kw": 1}
        )
        circuit_id = str(circuit.json()["id"])
        for n, (name, lat, lon) in enumerate(SITES):
            site = (
                await api.post(
                    "/locations",
                    json={
                        "name": name,
                        "latitude": lat,
                        "longitude": lon,
                        "city": name.split()[0].replace("Depot", "Amsterdam"),
                    },
                )
            ).json()
            site_ids.append(site["id"])
            for k in range(2):
                station_id = f"CY-{n + 1}{k + 1:02d}"
                body = {
                    "id": station_id,
                    "name": f"{name} bay {k + 1}",
                    "password": STATION_PASSWORD,
                    "location_id": site["id"],
                }
                await api.post("/stations", json=body)
                if n == 0:
                    await api.patch(f"/stations/{station_id}", json={"circuit_id": circuit_id})
                ids.append(station_id)
            if n == 2:
                await plan_maintenance(api, site["id"], ids[0])
        group_id = await price_groups(api, ids[0])
    return ids, circuit_id, group_id, site_ids


async def estate(api: httpx.AsyncClient, site_id: str) -> tuple[str, str]:
    """A tag group of night-shift cards allowed at the first site from 22:00 to 06:00, and the
    hardware template of a twin AC charger; their ids."""
    await api.post("/id-tags", json={"value": "NIGHT-01", "status": "Accepted"})
    await api.post("/id-tags", json={"value": "NIGHT-02", "status": "Accepted"})
    group = await api.post(
        "/tag-groups",
        json={
            "name": "Night shift",
            "description": "drivers of the night shift",
            "id_tags": ["NIGHT-01", "NIGHT-02"],
        },
    )
    await api.post(
        "/permissions",
        json={
            "tag_group_id": group.json()["id"],
            "location_id": site_id,
            "daily_from": "22:00",
            "daily_until": "06:00",
            "description": "depot charging after the shift",
        },
    )
    socket = EXAMPLE_LAYOUT[0]["connectors"][0]  # the new-template form's Type 2 socket
    template = await api.post(
        "/hardware-templates",
        json={
            "vendor": "Acme",
            "model": "Twin 22",
            "name": "Twin AC wallbox, 2 x 22 kW",
            "evses": [
                {"evse_id": n, "physical_reference": side, "connectors": [socket]}
                for n, side in ((1, "Left"), (2, "Right"))
            ],
        },
    )
    return str(group.json()["id"]), str(template.json()["id"])


async def records(api: httpx.AsyncClient) -> None:
    """Who is mailed about alerts, a few vendor error codes and a small fleet of vehicles."""
    await api.patch(
        "/alert-notifications",
        json={"enabled": True, "recipients": ["ops@example.com", "night@example.com"]},
    )
    await api.patch(
        "/alert-notifications/rules/station-offline",
        json={"recipients": ["field@example.com"], "webhook": False},
    )
    await api.patch("/alert-notifications/rules/connector-faulted", json={"email": False})
    await api.post(
        "/vendor-error-codes/import",
        json={
            "codes": [
                {
                    "vendor": "Chargeyard",
                    "code": "E-17",
                    "title": "Residual current detected",
                    "severity": "High",
                    "action": "Inspect the cable and reset the RCD on site.",
                },
                {
                    "vendor": "Chargeyard",
                    "model": "Simulator AC",
                    "code": "E-17",
                    "title": "RCD tripped on the left socket",
                    "severity": "High",
                },
                {"vendor": "Chargeyard", "code": "E-02", "title": "Lid open", "severity": "Low"},
                {
                    "vendor": "Chargeyard",
                    "model": "Simulator AC",
                    "firmware_version": "2.4.1",
                    "code": "0x2A",
                    "title": "Contactor welded",
                    "severity": "High",
                    "action": "Take the EVSE out of service and call the installer.",
                },
            ]
        },
    )
    for name, tag, battery, departure, priority in (
        ("Van 12", "DEMO-CARD", 75, "06:30", 1),
        ("Van 14", None, 75, "06:30", 2),
        ("Pool car 3", None, 58, "08:00", None),
    ):
        await api.post(
            "/vehicles",
            json={
                "name": name,
                "id_tag": tag,
                "battery_kwh": battery,
                "soc_percent": 30,
                "target_soc_percent": 90,
                "departure_time": departure,
                "max_power_kw": 11,
                "priority": priority,
            },
        )


async def station_setup(api: httpx.AsyncClient, base: str, station_id: str) -> SimulatedStationV201:
    """A firmware image with a link made, the first station's EVSE 2 wired single-phase to L2,
    and an OCPP 2.0.1 station that has reported its device model."""
    stored = await api.post(
        "/firmware", params={"filename": "wallbox-2.4.2.bin"}, content=b"\x7fELF" * 4096
    )
    await api.post(f"/files/{stored.json()['id']}/download-links", json={"max_downloads": 5})
    await api.post("/firmware", params={"filename": "wallbox-2.4.1.bin"}, content=b"\x7fELF" * 4000)
    wiring = {"supply": "ac_single_phase", "lines": ["L2"], "max_power_kw": 7.4}
    await api.put(f"/stations/{station_id}/wiring", params={"evse_id": 2}, json=wiring)
    await api.post("/stations", json={"id": DEVICE_STATION, "password": STATION_PASSWORD})
    station = SimulatedStationV201(
        f"{base.replace('http', 'ws')}/ocpp", DEVICE_STATION, password=STATION_PASSWORD
    )
    assert await station.ensure_online()

    async def described() -> bool:
        found = await api.get(f"/stations/{DEVICE_STATION}/device-model")
        return found.json()["total"] > 0

    await until(described)
    return station


async def smart_charging_inputs(
    api: httpx.AsyncClient, circuit_id: str, station: SimulatedStationV201
) -> None:
    """Tonight's energy prices (cheap after 22:00), an evening curtailment of the depot circuit
    and a V2G window, what the 2.0.1 station's EV asks for, a monitor on its EVSE 1 power, and
    the first 1.6 station's configuration read once."""
    day = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)

    def at(hours: int) -> str:
        return (day + timedelta(hours=hours)).isoformat()

    prices = [
        {"starts_at": at(h), "ends_at": at(h + 1), "price_per_kwh": price}
        for h, price in ((17, "0.41"), (18, "0.44"), (19, "0.38"), (22, "0.19"), (23, "0.17"))
    ]
    prices.append(
        {"starts_at": at(6), "ends_at": at(9), "price_per_kwh": "0.29", "circuit_id": circuit_id}
    )
    assert (await api.post("/energy-prices", json=prices)).status_code == 201
    for event in (
        {"kind": "curtailment", "starts_at": at(17), "ends_at": at(19), "max_power_kw": 11},
        {"kind": "v2g", "starts_at": at(19), "ends_at": at(20), "max_power_kw": 7},
    ):
        made = await api.post("/demand-response-events", json={"circuit_id": circuit_id, **event})
        assert made.status_code == 201, made.text
    ac = {"energy_amount": 30000, "ev_min_current": 6, "ev_max_current": 32, "ev_max_voltage": 400}
    needs = {
        "requested_energy_transfer": "AC_three_phase",
        "departure_time": at(18),
        "ac_charging_parameters": ac,
    }
    await station.notify_ev_charging_needs(1, needs)
    monitor = {
        "component": "EVSE",
        "evse_id": 1,
        "variable": "Power",
        "type": "UpperThreshold",
        "value": 11000,
        "severity": 4,
    }
    made = await api.post(
        f"/stations/{DEVICE_STATION}/commands/set-variable-monitoring",
        json={"monitors": [monitor]},
    )
    assert made.json()["status"] == "Accepted", made.text
    await station.notify_monitoring_report()


async def sign_in(page: Page, email: str) -> None:
    await page.goto("/")
    await page.get_by_label("E-mail").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("heading", name="Overview").wait_for()


async def until(check: Callable[[], Awaitable[bool]], within_s: float = 30) -> None:
    """Wait for `check` to hold, failing after `within_s`."""
    async with asyncio.timeout(within_s):
        while not await check():  # noqa: ASYNC110 (an HTTP answer: no event to wait on)
            await asyncio.sleep(0.2)


async def plan_maintenance(api: httpx.AsyncClient, site_id: str, station_id: str) -> None:
    """The last site's stations in a window now, and the first station's next week."""
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    for target, reason, (start, end) in (
        ({"location_id": site_id}, "grid connection upgrade", (-1, 5)),
        ({"station_id": station_id}, "replace the cable of EVSE 2", (170, 173)),
    ):
        window = target | {
            "reason": reason,
            "starts_at": (now + timedelta(hours=start)).isoformat(),
            "ends_at": (now + timedelta(hours=end)).isoformat(),
        }
        await api.post("/maintenance-windows", json=window)


async def price_groups(api: httpx.AsyncClient, station_id: str) -> str:
    """The organization's default tariff (so the demo session has a cost), a fleet tariff for
    the demo card at the first station, and a monthly plan."""
    await api.post(
        "/tariffs",
        json={
            "name": "Public AC",
            "currency": "EUR",
            "tax_rate": "21",
            "is_default": True,
            "elements": [
                {"price_components": [{"type": "ENERGY", "price": "0.39", "step_size": 1}]}
            ],
        },
    )
    fleet = await api.post(
        "/tariffs",
        json={
            "name": "Fleet rate",
            "currency": "EUR",
            "elements": [{"price_components": [{"type": "ENERGY", "price": "0.25"}]}],
        },
    )
    group = await api.post(
        "/tariff-groups",
        json={
            "name": "Company fleet",
            "description": "pool cars charge at the fleet rate at the depot",
            "tariff_id": fleet.json()["id"],
            "id_tags": ["DEMO-CARD"],
            "places": [{"kind": "station", "id": station_id}],
        },
    )
    await api.post(
        "/subscription-plans",
        json={"name": "Commuter", "fee": "9.90", "currency": "EUR", "included_kwh": "50"},
    )
    return str(group.json()["id"])


async def refused_layout(page: Page, template_id: str) -> None:
    """The template's form sent with a voltage the REST schema refuses: the page answers with
    the form as sent and what is wrong beside the field, scrolled to the list of refusals."""
    await page.goto(f"/hardware-templates/{template_id}")
    await page.get_by_role("button", name="Add a connector to EVSE row 2").click()
    added = page.locator("#edit-evses-1-connectors-1")
    await added.get_by_label("Connector type").select_option("IEC_62196_T2_COMBO")
    await added.get_by_label("Socket or cable").select_option("CABLE")
    await added.get_by_label("Power type").select_option("DC")
    await added.get_by_label("Max voltage (V)").fill("5000")
    await added.get_by_label("Max current (A)").fill("125")
    await page.get_by_role("button", name="Save template").click()
    await page.locator("#edit-errors").wait_for()


async def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/demo.sqlite"
        token = await demo_data(url)
        settings = Settings(database_url=url, port=PORT, node_id="demo")
        server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=PORT, log_level="warning")
        )
        serving = asyncio.create_task(server.serve())
        while not server.started:
            if serving.done():
                serving.result()  # the server failed to start: say why
            await asyncio.sleep(0.05)
        base = f"http://127.0.0.1:{PORT}"
        ids, circuit_id, group_id, site_ids = await network(base, token)
        stations = [
            SimulatedStation(
                f"ws://127.0.0.1:{PORT}/ocpp", i, password=STATION_PASSWORD, meter_interval=2
            )
            for i in ids[:5]
        ]
        for station in stations:
            assert await station.ensure_online()
        await stations[1].status(2, ConnectorStatus.FAULTED)
        async with httpx.AsyncClient(
            base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"}
        ) as api:
            tag_group_id, template_id = await estate(api, site_ids[0])
            await records(api)
            device_station = await station_setup(api, base, ids[0])
            await smart_charging_inputs(api, circuit_id, device_station)
            read = await api.post(f"/stations/{ids[0]}/commands/get-configuration", json={})
            assert read.json()["status"] == "Accepted", read.text
            # A session that a station forgets: overdue 10 s after it goes offline (the charging
            # stations speak every 2 s, so they are never taken for silent).
            await api.patch("/alert-rules/session-zombie", json={"threshold_s": 10})
            # The fleet card charges at the depot; a visitor's card at the second site.
            for card in ("VISITOR-7", "VISITOR-8"):
                await api.post("/id-tags", json={"value": card, "status": "Accepted"})
            for station_id, card in ((ids[0], "DEMO-CARD"), (ids[2], "VISITOR-7")):
                started = await api.post(
                    f"/stations/{station_id}/commands/remote-start",
                    json={"id_tag": card, "evse_id": 1},
                )
                assert started.json()["status"] == "Accepted", started.text
            await asyncio.sleep(12)  # a few meter values for the plot
            started = await api.post(
                f"/stations/{ids[3]}/commands/remote-start",
                json={"id_tag": "VISITOR-8", "evse_id": 1},
            )
            assert started.json()["status"] == "Accepted", started.text
            await asyncio.sleep(2)
            await stations.pop(3).close()  # it goes offline with the session open

            async def session_of(station_id: str) -> int:
                found = await api.get("/transactions", params={"station_id": station_id})
                return int(found.json()["items"][0]["id"])

            tx = await session_of(ids[0])
            # The second site's session stops: its CDR is issued.
            stopped = await api.post(
                f"/stations/{ids[2]}/commands/remote-stop",
                json={"transaction_id": await session_of(ids[2])},
            )
            assert stopped.json()["status"] == "Accepted", stopped.text

            async def issued() -> bool:
                return bool((await api.get("/cdrs")).json()["items"])

            async def stuck() -> bool:
                found = await api.get("/reconciliation/zombie-sessions")
                return [z["station_id"] for z in found.json()["items"]] == [ids[3]]

            await until(issued)
            await until(stuck)
            cdr_id = (await api.get("/cdrs")).json()["items"][0]["id"]
        async with async_playwright() as driver:
            browser = await driver.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for size, (width, height) in SIZES.items():
                context = await browser.new_context(
                    base_url=base, viewport={"width": width, "height": height}
                )
                page = await context.new_page()
                await page.goto("/")
                await page.screenshot(path=out / f"dashboard-sign-in-{size}.png")
                await sign_in(page, EMAIL)
                for name, path in [
                    ("overview", "/"),
                    ("stations", "/stations"),
                    ("station", f"/stations/{ids[0]}"),
                    ("session", f"/sessions/{tx}"),
                    ("circuit", f"/circuits/{circuit_id}?hours=1"),
                    ("alerts", "/alerts"),
                    ("maintenance", "/maintenance-windows"),
                    ("tariff-group", f"/tariff-groups/{group_id}"),
                    ("location", f"/locations/{site_ids[0]}"),
                    ("cdr", f"/cdrs/{cdr_id}"),
                    ("tag-group", f"/tag-groups/{tag_group_id}"),
                    ("permissions", "/permissions"),
                    ("subscription-plans", "/subscription-plans"),
                    ("hardware-template", f"/hardware-templates/{template_id}"),
                    ("kpis", "/kpis"),
                    ("stuck-sessions", "/reconciliation"),
                    ("vendor-error-codes", "/vendor-error-codes?station=CY-101&reported=E-17"),
                    ("vehicles", "/vehicles"),
                    ("firmware", "/firmware"),
                    ("device-model", f"/stations/{DEVICE_STATION}/device-model"),
                    ("wiring", f"/stations/{ids[0]}/wiring"),
                    ("energy-prices", "/energy-prices"),
                    ("demand-response", "/demand-response-events"),
                    ("charging-needs", f"/stations/{DEVICE_STATION}/charging-needs"),
                    ("monitors", f"/stations/{DEVICE_STATION}/monitors"),
                    ("configuration", f"/stations/{ids[0]}/configuration"),
                ]:
                    await page.goto(path)
                    await page.wait_for_timeout(1500)
                    await page.screenshot(
                        path=out / f"dashboard-{name}-{size}.png", full_page=size == "desktop"
                    )
                await refused_layout(page, template_id)
                await page.screenshot(
                    path=out / f"dashboard-hardware-template-refused-{size}.png",
                    full_page=size == "desktop",
                )
                await context.close()
                # The notification settings as an admin sees them: with the forms.
                context = await browser.new_context(
                    base_url=base, viewport={"width": width, "height": height}
                )
                page = await context.new_page()
                await sign_in(page, ADMIN_EMAIL)
                await page.goto("/alert-notifications")
                await page.wait_for_timeout(1500)
                await page.screenshot(
                    path=out / f"dashboard-alert-notifications-{size}.png",
                    full_page=size == "desktop",
                )
                await context.close()
            await browser.close()
        for station in stations:
            await station.close()
        await device_station.close()
        server.should_exit = True
        await serving


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images")
    target.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(target))
