"""Screenshots of the dashboard's main pages, desktop and phone, from a demo network (see
scripts/dashboard-screenshots)."""

import asyncio
import sys
import tempfile
from pathlib import Path

import httpx
import uvicorn
from playwright.async_api import async_playwright

from chargeyard.api.app import create_app
from chargeyard.clock import utcnow
from chargeyard.organizations.service import UserService, ensure_organization, issue_token
from chargeyard.settings import Settings
from chargeyard.simulator.connector import ConnectorStatus
from chargeyard.simulator.v16 import SimulatedStation
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async

PORT = 18765
EMAIL, PASSWORD = "operator@example.com", "a-long-demo-password"
STATION_PASSWORD = "demo-station-password"
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
        token = await issue_token(uow.session, org.id, "admin", "screenshots")
        await uow.commit()
    await db.dispose()
    return token.secret


async def network(base: str, token: str) -> tuple[list[str], str]:
    """Three located sites of two stations each; the first site's under a 22 kW circuit."""
    api = httpx.AsyncClient(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"})
    ids = []
    async with api:
        await api.post("/id-tags", json={"value": "DEMO-CARD", "status": "Accepted"})
        circuit = await api.post(
            "/circuits", json={"name": "Depot Amsterdam", "max_power_kw": 22, "buffer_kw": 1}
        )
        circuit_id = circuit.json()["id"]
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
    return ids, circuit_id


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
        ids, circuit_id = await network(base, token)
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
            started = await api.post(
                f"/stations/{ids[0]}/commands/remote-start",
                json={"id_tag": "DEMO-CARD", "evse_id": 1},
            )
            assert started.json()["status"] == "Accepted", started.text
            await asyncio.sleep(12)  # a few meter values for the plot
            tx = (await api.get("/transactions", params={"station_id": ids[0]})).json()["items"][0][
                "id"
            ]
        async with async_playwright() as driver:
            browser = await driver.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for size, (width, height) in SIZES.items():
                context = await browser.new_context(
                    base_url=base, viewport={"width": width, "height": height}
                )
                page = await context.new_page()
                await page.goto("/")
                await page.screenshot(path=out / f"dashboard-sign-in-{size}.png")
                await page.get_by_label("E-mail").fill(EMAIL)
                await page.get_by_label("Password").fill(PASSWORD)
                await page.get_by_role("button", name="Sign in").click()
                await page.get_by_role("heading", name="Overview").wait_for()
                for name, path in [
                    ("overview", "/"),
                    ("stations", "/stations"),
                    ("station", f"/stations/{ids[0]}"),
                    ("session", f"/sessions/{tx}"),
                    ("circuit", f"/circuits/{circuit_id}?hours=1"),
                    ("alerts", "/alerts"),
                ]:
                    await page.goto(path)
                    await page.wait_for_timeout(1500)
                    await page.screenshot(
                        path=out / f"dashboard-{name}-{size}.png", full_page=size == "desktop"
                    )
                await context.close()
            await browser.close()
        for station in stations:
            await station.close()
        server.should_exit = True
        await serving


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images")
    target.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(target))
