"""End to end: simulated stations upload diagnostics and logs to Chargeyard's one-time URLs and
fetch firmware from its download links, as get-diagnostics, get-log and update-firmware ask."""

from typing import Any

from chargeyard.simulator.behaviour import Behaviour
from tests.api.factories import created
from tests.commands import test_simulated_station as v16
from tests.commands.conftest import command
from tests.commands.v201 import test_simulated_station as v201
from tests.conftest import Tenant
from tests.protocol.conftest import eventually

FAST = Behaviour(step_delay_s=0.05)


async def station_detail(tenant: Tenant, station_id: str) -> dict[str, Any]:
    return dict((await tenant.api.get(f"/stations/{station_id}")).json())


async def stored(tenant: Tenant, file_id: str) -> dict[str, Any]:
    return dict((await tenant.api.get(f"/files/{file_id}")).json())


async def test_a_16_station_uploads_diagnostics_and_installs_hosted_firmware(
    tenant: Tenant,
) -> None:
    image = await tenant.api.post("/firmware", params={"filename": "fw.bin"}, content=b"\x7fELF")
    link = await created(tenant.api, f"/files/{image.json()['id']}/download-links", {})
    async with v16.simulated(tenant, FAST) as station_id:
        slot = await created(tenant.api, f"/stations/{station_id}/uploads", {})
        asked = await command(
            tenant, station_id, "get-diagnostics", {"location": slot["upload_url"]}
        )
        assert asked.status_code == 200, asked.text
        update = await command(tenant, station_id, "update-firmware", {"location": link["url"]})
        assert update.status_code == 200, update.text

        async def done() -> bool:
            detail = await station_detail(tenant, station_id)
            return (detail["diagnostics_status"], detail["firmware_status"]) == (
                "Uploaded",
                "Installed",
            )

        await eventually(done)
    diagnostics = await stored(tenant, slot["id"])
    assert diagnostics["status"] == "stored" and diagnostics["filename"].startswith(station_id)
    content = await tenant.api.get(f"/files/{slot['id']}/content")
    assert content.content.startswith(f"{station_id} diagnostics".encode())
    assert (await stored(tenant, image.json()["id"]))["downloads"] == 1


async def test_a_201_station_uploads_its_log_to_the_one_time_url(tenant: Tenant) -> None:
    async with v201.simulated(tenant, FAST) as (station_id, _station):
        slot = await created(tenant.api, f"/stations/{station_id}/uploads", {"kind": "log"})
        asked = await command(tenant, station_id, "get-log", {"location": slot["upload_url"]})
        assert asked.json()["status"] == "Accepted", asked.text

        async def uploaded() -> bool:
            return (await stored(tenant, slot["id"]))["status"] == "stored"

        await eventually(uploaded)
        # the URL was used: asking the station again makes it report a failed upload
        again = await command(tenant, station_id, "get-log", {"location": slot["upload_url"]})
        assert again.json()["status"] == "Accepted"

        async def failed() -> bool:
            detail = await station_detail(tenant, station_id)
            return bool(detail["diagnostics_status"] == "UploadFailure")

        await eventually(failed)
