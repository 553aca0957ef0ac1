"""The other 1.6 security-extension notifications land on the station's status fields."""

from tests.conftest import Tenant
from tests.security_events.test_security_events_api import BOOT, registered
from tests.support.ocpp_client import raw_station


async def test_log_and_signed_firmware_status_are_recorded(tenant: Tenant) -> None:
    station_id = await registered(tenant)
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        await station.ok("BootNotification", BOOT)
        await station.ok("LogStatusNotification", {"status": "Uploading", "requestId": 7})
        detail = (await tenant.api.get(f"/stations/{station_id}")).json()
        assert detail["diagnostics_status"] == "Uploading"
        await station.ok(
            "SignedFirmwareStatusNotification", {"status": "InvalidSignature", "requestId": 8}
        )
        detail = (await tenant.api.get(f"/stations/{station_id}")).json()
        assert detail["firmware_status"] == "InvalidSignature"


async def test_a_malformed_security_event_is_a_protocol_error(tenant: Tenant) -> None:
    station_id = await registered(tenant)
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        await station.ok("BootNotification", BOOT)
        answer = await station.call("SecurityEventNotification", {"type": "ResetOrReboot"})
        assert answer[0] == 4
    listing = (await tenant.api.get("/security-events", params={"station_id": station_id})).json()
    assert listing["total"] == 0
