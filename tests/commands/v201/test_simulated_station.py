"""The API against the project's simulated 2.0.1 / 2.1 station: every command accepted and
refused, and the effects the station shows (sessions, limits, device model, progress)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chargeyard.simulator.behaviour import Behaviour
from chargeyard.simulator.station_v201 import SimulatedStationV21, SimulatedStationV201
from tests.commands.conftest import command, register
from tests.commands.test_stopping import accepted_tag
from tests.conftest import Tenant
from tests.protocol.conftest import eventually
from tests.support.ocpp_client import PASSWORD

STATIONS = {"ocpp2.0.1": SimulatedStationV201, "ocpp2.1": SimulatedStationV21}
PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
HEARTBEAT = {"component": "OCPPCommCtrlr", "variable": "HeartbeatInterval"}
PROFILE = {
    "id": 4,
    "purpose": "TxDefaultProfile",
    "kind": "Relative",
    "schedule": {"unit": "A", "periods": [{"start_offset_s": 0, "limit": 16}]},
}
FAST = 0.05  # seconds between a simulated upload's or update's progress steps


def body_for(name: str) -> dict[str, Any]:
    expiry = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    return {
        "reset": {"type": "immediate"},
        "unlock-connector": {"evse_id": 1},
        "change-availability": {"evse_id": 1, "operative": False},
        "trigger-message": {"message": "Heartbeat"},
        "clear-cache": {},
        "data-transfer": {"vendor_id": "Chargeyard", "data": "ping"},
        "reserve-now": {"evse_id": 2, "id_tag": "SIM", "expires_at": expiry},
        "send-local-list": {"update_type": "full", "id_tags": [], "version": 5},
        "set-charging-profile": {"evse_id": 1, "charging_profile": PROFILE},
        "get-composite-schedule": {"evse_id": 1, "duration": 600, "charging_rate_unit": "A"},
        "get-variables": {"variables": [HEARTBEAT]},
        "set-variables": {"variables": [HEARTBEAT | {"value": "120"}]},
        "get-base-report": {"report_base": "FullInventory"},
        "get-report": {"variables": [{"component": "EVSE"}]},
        "set-variable-monitoring": {
            "monitors": [
                {
                    "component": "EVSE",
                    "evse_id": 1,
                    "variable": "Power",
                    "type": "UpperThreshold",
                    "value": 20000,
                    "severity": 5,
                }
            ]
        },
        "set-monitoring-base": {"base": "All"},
        "set-monitoring-level": {"severity": 5},
        "customer-information": {"id_tag": "SIM"},
        "set-display-message": {"id": 1, "message": "Welcome"},
        "install-certificate": {"certificate_type": "CSMSRootCertificate", "certificate": PEM},
        "get-log": {"location": "ftp://logs.example/up"},
        "update-firmware": {"location": "ftp://fw.example/2.0.bin"},
    }[name]


ACTIONS = {
    "reset": "Reset",
    "unlock-connector": "UnlockConnector",
    "change-availability": "ChangeAvailability",
    "trigger-message": "TriggerMessage",
    "clear-cache": "ClearCache",
    "data-transfer": "DataTransfer",
    "reserve-now": "ReserveNow",
    "send-local-list": "SendLocalList",
    "set-charging-profile": "SetChargingProfile",
    "get-composite-schedule": "GetCompositeSchedule",
    "get-variables": "GetVariables",
    "set-variables": "SetVariables",
    "get-base-report": "GetBaseReport",
    "get-report": "GetReport",
    "set-variable-monitoring": "SetVariableMonitoring",
    "set-monitoring-base": "SetMonitoringBase",
    "set-monitoring-level": "SetMonitoringLevel",
    "customer-information": "CustomerInformation",
    "set-display-message": "SetDisplayMessage",
    "install-certificate": "InstallCertificate",
    "get-log": "GetLog",
    "update-firmware": "UpdateFirmware",
}


@asynccontextmanager
async def simulated(
    tenant: Tenant, behaviour: Behaviour = Behaviour(step_delay_s=FAST), protocol: str = "ocpp2.0.1"
) -> AsyncIterator[tuple[str, SimulatedStationV201]]:
    station_id = await register(tenant)
    station = STATIONS[protocol](
        tenant.server.ocpp_url, station_id, password=PASSWORD, behaviour=behaviour
    )
    try:
        assert await station.ensure_online()
        yield station_id, station
    finally:
        await station.close()


@pytest.mark.parametrize("protocol", sorted(STATIONS))
@pytest.mark.parametrize("name", list(ACTIONS))
async def test_simulated_station_accepts_and_refuses(
    tenant: Tenant, name: str, protocol: str
) -> None:
    async with simulated(tenant, protocol=protocol) as (station_id, _station):
        accepted = await command(tenant, station_id, name, body_for(name))
    refusing = Behaviour.rejecting(ACTIONS[name], step_delay_s=FAST)
    async with simulated(tenant, refusing, protocol) as (station_id, _station):
        refused = await command(tenant, station_id, name, body_for(name))
    assert accepted.status_code == refused.status_code == 200, (accepted.text, refused.text)
    assert accepted.json()["status"] in ("Accepted", "Unlocked")
    assert refused.json()["status"] not in ("Accepted", "Unlocked")


@pytest.mark.parametrize("protocol", sorted(STATIONS))
async def test_remote_start_and_stop_drive_a_transaction_event_sequence(
    tenant: Tenant, protocol: str
) -> None:
    tag = await accepted_tag(tenant)
    async with simulated(tenant, protocol=protocol) as (station_id, station):
        started = await command(tenant, station_id, "remote-start", {"id_tag": tag, "evse_id": 1})
        assert started.json()["status"] == "Accepted"

        async def running() -> bool:
            found = await tenant.api.get("/transactions", params={"station_id": station_id})
            return bool(found.json()["total"])

        await eventually(running)
        listing = await tenant.api.get("/transactions", params={"station_id": station_id})
        tx = listing.json()["items"][0]["id"]
        assert station.connector(1).transaction is not None
        stopped = await command(tenant, station_id, "remote-stop", {"transaction_id": tx})
        assert stopped.json()["status"] == "Accepted"

        async def ended() -> bool:
            detail = (await tenant.api.get(f"/transactions/{tx}")).json()
            return detail["stopped_at"] is not None

        await eventually(ended)
        again = await command(tenant, station_id, "remote-stop", {"transaction_id": tx})
        assert again.status_code == 409
    events = (await tenant.api.get(f"/transactions/{tx}/events")).json()["items"]
    assert (events[0]["event_type"], events[0]["trigger_reason"]) == ("Started", "RemoteStart")
    assert (events[-1]["event_type"], events[-1]["trigger_reason"]) == ("Ended", "RemoteStop")
    assert events[-1]["stopped_reason"] == "Remote"


async def test_remote_start_on_a_busy_or_unknown_evse_is_rejected(tenant: Tenant) -> None:
    async with simulated(tenant) as (station_id, _station):
        unknown = await command(tenant, station_id, "remote-start", {"id_tag": "X", "evse_id": 9})
        stop = await command(tenant, station_id, "unlock-connector", {"evse_id": 9})
    assert unknown.json()["status"] == "Rejected"
    assert stop.json()["status"] == "UnknownConnector"


async def test_a_charging_profile_limits_the_ev(tenant: Tenant) -> None:
    tag = await accepted_tag(tenant)
    async with simulated(tenant) as (station_id, station):
        await command(tenant, station_id, "remote-start", {"id_tag": tag, "evse_id": 1})
        await eventually(lambda: _charging(station))
        before = station.connector(1).offered_w
        limit = await tenant.api.post(
            f"/stations/{station_id}/power-limit", json={"limit": 8, "unit": "A", "evse_id": 1}
        )
        assert limit.json()["status"] == "Accepted"
        connector = station.connector(1)
        station.charger.advance(connector)
        schedule = await command(
            tenant, station_id, "get-composite-schedule", {"evse_id": 1, "duration": 60}
        )
    assert before > 8 * 230 * 3
    assert connector.offered_w <= 8 * 230 * 3
    periods = schedule.json()["response"]["schedule"]["charging_schedule_period"]
    assert periods[0]["limit"] == 8


async def _charging(station: SimulatedStationV201) -> bool:
    return station.connector(1).transaction is not None and station.connector(1).offered_w > 0


async def test_variables_live_in_the_device_model(tenant: Tenant) -> None:
    async with simulated(tenant, protocol="ocpp2.1") as (station_id, station):
        changed = await command(
            tenant, station_id, "set-variables", {"variables": [HEARTBEAT | {"value": "120"}]}
        )
        read = await command(tenant, station_id, "get-variables", {"variables": [HEARTBEAT]})
        read_only = await command(
            tenant,
            station_id,
            "set-variables",
            {"variables": [{"component": "ChargingStation", "variable": "Model", "value": "X"}]},
        )
        unknown = await command(
            tenant,
            station_id,
            "get-variables",
            {"variables": [{"component": "Nope", "variable": "Nothing"}]},
        )
        assert station.heartbeat_interval == 120
    assert changed.json()["status"] == "Accepted"
    [result] = read.json()["response"]["get_variable_result"]
    assert result["attribute_value"] == "120"
    assert read_only.json()["status"] == "Rejected"
    assert unknown.json()["status"] == "UnknownComponent"


async def test_trigger_message_sends_the_message_afterwards(tenant: Tenant) -> None:
    async with simulated(tenant) as (station_id, station):
        before = station.recorder.actions().count("Heartbeat")  # type: ignore[attr-defined]
        answer = await command(tenant, station_id, "trigger-message", {"message": "Heartbeat"})
        assert answer.json()["status"] == "Accepted"

        async def sent() -> bool:
            actions = station.recorder.actions()  # type: ignore[attr-defined]
            return bool(actions.count("Heartbeat") > before)

        await eventually(sent)
        unsupported = await command(
            tenant, station_id, "trigger-message", {"message": "SignV2GCertificate"}
        )
    assert unsupported.json()["status"] == "NotImplemented"


async def test_firmware_and_log_progress_is_tracked(tenant: Tenant) -> None:
    async with simulated(tenant) as (station_id, _station):
        update = await command(
            tenant, station_id, "update-firmware", {"location": "ftp://fw.example/3.bin"}
        )
        log = await command(tenant, station_id, "get-diagnostics", {"location": "ftp://logs/"})
        assert (update.json()["status"], log.json()["status"]) == ("Accepted", "Accepted")
        assert log.json()["response"]["filename"].startswith(station_id)

        async def done() -> bool:
            detail = (await tenant.api.get(f"/stations/{station_id}")).json()
            return (detail["firmware_status"], detail["diagnostics_status"]) == (
                "Installed",
                "Uploaded",
            )

        await eventually(done)
        broken = await command(
            tenant, station_id, "update-firmware", {"location": "ftp://fw.example/broken.bin"}
        )
        assert broken.json()["status"] == "Accepted"

        async def failed() -> bool:
            detail = (await tenant.api.get(f"/stations/{station_id}")).json()
            return bool(detail["firmware_status"] == "DownloadFailed")

        await eventually(failed)
        unsigned = await command(
            tenant,
            station_id,
            "signed-update-firmware",
            {"location": "ftp://fw.example/4.bin", "signing_certificate": "x", "signature": "y"},
        )
    assert unsigned.json()["status"] == "InvalidCertificate"


async def test_what_is_set_can_be_read_and_cleared(tenant: Tenant) -> None:
    async with simulated(tenant) as (station_id, _station):

        async def status(name: str, body: dict[str, Any]) -> str:
            response = await command(tenant, station_id, name, body)
            assert response.status_code == 200, response.text
            return str(response.json()["status"])

        assert await status("get-display-messages", {}) == "Unknown"
        assert await status("set-display-message", body_for("set-display-message")) == "Accepted"
        assert await status("get-display-messages", {"request_id": 71}) == "Accepted"
        assert await status("clear-display-message", {"id": 1}) == "Accepted"
        assert await status("clear-display-message", {"id": 1}) == "Unknown"

        assert await status("get-installed-certificate-ids", {}) == "NotFound"
        assert await status("install-certificate", body_for("install-certificate")) == "Accepted"
        ids = await command(tenant, station_id, "get-installed-certificate-ids", {})
        [installed] = ids.json()["response"]["certificate_hash_data_chain"]
        hash_data = installed["certificate_hash_data"]
        assert await status("delete-certificate", hash_data) == "Accepted"
        assert await status("delete-certificate", hash_data) == "NotFound"

        monitors = await command(
            tenant, station_id, "set-variable-monitoring", body_for("set-variable-monitoring")
        )
        [monitor] = monitors.json()["response"]["set_monitoring_result"]
        assert await status("clear-variable-monitoring", {"ids": [monitor["id"]]}) == "Accepted"
        assert await status("clear-variable-monitoring", {"ids": [monitor["id"]]}) == "NotFound"

        assert await status("get-charging-profiles", {}) == "NoProfiles"
        assert await status("set-charging-profile", body_for("set-charging-profile")) == "Accepted"
        assert await status("get-charging-profiles", {"request_id": 72}) == "Accepted"
        assert await status("clear-charging-profile", {"id": 4}) == "Accepted"
        assert await status("clear-charging-profile", {"id": 4}) == "Unknown"
        assert await status("get-base-report", {"request_id": 73}) == "Accepted"

        async def reported() -> bool:
            reports = await tenant.api.get(f"/stations/{station_id}/reports")
            request_ids = {item["request_id"] for item in reports.json()["items"]}
            return {71, 72} <= request_ids

        await eventually(reported)


async def test_a_feature_the_station_lacks_is_502(tenant: Tenant) -> None:
    lacking = Behaviour(unsupported=frozenset({"GetLog"}))
    async with simulated(tenant, lacking) as (station_id, _station):
        response = await command(tenant, station_id, "get-log", {"location": "https://x/"})
    assert response.status_code == 502
    assert "NotImplemented" in response.json()["detail"]
