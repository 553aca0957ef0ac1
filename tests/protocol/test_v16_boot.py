"""BootNotification and Heartbeat under 1.6: registration, interval, identity kept on the station."""

from datetime import UTC, datetime, timedelta

from tests.conftest import Tenant
from tests.protocol.conftest import BOOT, Stations
from tests.support.ocpp_client import raw_station

FULL_BOOT = {
    "chargePointVendor": "Acme",
    "chargePointModel": "Wallbox 22",
    "chargePointSerialNumber": "CP-SN-0001",
    "chargeBoxSerialNumber": "CB-SN-0002",
    "firmwareVersion": "4.2.1-rc3",
    "iccid": "8944500102198304826",
    "imsi": "310150123456789",
    "meterType": "ABB B23",
    "meterSerialNumber": "M-778899",
}


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def test_boot_of_registered_station_is_accepted_and_stored(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        before = datetime.now(UTC)
        boot = await station.ok("BootNotification", FULL_BOOT)
        assert boot["status"] == "Accepted"
        assert boot["interval"] == 300  # Settings.heartbeat_interval_s default
        assert abs(parse(boot["currentTime"]) - before) < timedelta(seconds=5)
        assert boot["currentTime"].endswith("Z")
    detail = await stations.detail(station_id)
    assert (detail["vendor"], detail["model"]) == ("Acme", "Wallbox 22")
    assert detail["serial_number"] == "CP-SN-0001"
    assert detail["charge_box_serial_number"] == "CB-SN-0002"
    assert detail["firmware_version"] == "4.2.1-rc3"
    assert (detail["iccid"], detail["imsi"]) == ("8944500102198304826", "310150123456789")
    assert (detail["meter_type"], detail["meter_serial_number"]) == ("ABB B23", "M-778899")
    assert detail["protocol"] == "ocpp1.6"
    assert detail["last_boot_at"] is not None


async def test_boot_interval_is_the_station_heartbeat_interval(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    patched = await tenant.api.patch(f"/stations/{station_id}", json={"heartbeat_interval": 120})
    assert patched.status_code == 200, patched.text
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        assert (await station.ok("BootNotification", BOOT))["interval"] == 120


async def test_reboot_replaces_identity_fields(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        await station.ok("BootNotification", FULL_BOOT)
        await station.ok("BootNotification", BOOT | {"firmwareVersion": "4.3.0"})
    detail = await stations.detail(station_id)
    assert detail["firmware_version"] == "4.3.0"
    assert detail["serial_number"] is None


async def test_heartbeat_answers_current_time(stations: Stations) -> None:
    async with stations.booted() as station:
        before = datetime.now(UTC)
        answer = await station.ok("Heartbeat", {})
    assert set(answer) == {"currentTime"}
    assert abs(parse(answer["currentTime"]) - before) < timedelta(seconds=5)
