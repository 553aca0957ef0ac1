"""DataTransfer, DiagnosticsStatusNotification and FirmwareStatusNotification under 1.6."""

from tests.conftest import Tenant
from tests.protocol.conftest import Stations, events_of


async def test_data_transfer_is_accepted_and_recorded(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        full = await station.ok(
            "DataTransfer", {"vendorId": "com.acme", "messageId": "Ping", "data": '{"n": 1}'}
        )
        bare = await station.ok("DataTransfer", {"vendorId": "com.acme"})
    assert full == bare == {"status": "Accepted"}
    recorded = await events_of(tenant.server, station_id, "station.data_transfer")
    assert [(e["vendor_id"], e["message_id"], e["data"]) for e in recorded] == [
        ("com.acme", "Ping", '{"n": 1}'),
        ("com.acme", None, None),
    ]


async def test_diagnostics_status_is_shown_on_the_station(stations: Stations) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id) as station:
        assert await station.ok("DiagnosticsStatusNotification", {"status": "Uploading"}) == {}
        assert (await stations.detail(station_id))["diagnostics_status"] == "Uploading"
        await station.ok("DiagnosticsStatusNotification", {"status": "UploadFailed"})
    assert (await stations.detail(station_id))["diagnostics_status"] == "UploadFailed"


async def test_firmware_status_is_shown_on_the_station(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    statuses = ["Downloading", "Downloaded", "Installing", "Installed"]
    async with stations.booted(station_id) as station:
        for status in statuses:
            assert await station.ok("FirmwareStatusNotification", {"status": status}) == {}
        refused = await station.call("FirmwareStatusNotification", {"status": "Exploded"})
    assert refused[2] == "PropertyConstraintViolation"
    assert (await stations.detail(station_id))["firmware_status"] == "Installed"
    recorded = await events_of(tenant.server, station_id, "station.firmware_status")
    assert [e["status"] for e in recorded] == statuses
