"""Event rules over a real 1.6 station on loopback: what a station reports raises alerts, and
its next report clears them; the rules' settings per organization."""

from typing import Any

from tests.alerts.conftest import alerts, wait_for_alert
from tests.commands.conftest import Online, command, register
from tests.commands.station import BOOT
from tests.conftest import Tenant, make_tenant
from tests.support.ocpp_client import raw_station


def status(connector: int, state: str, error: str = "NoError", **extra: Any) -> dict[str, Any]:
    return {"connectorId": connector, "status": state, "errorCode": error, **extra}


def named(name: str, status: str, connector: int | None = None) -> Any:
    return lambda alert: (
        alert["name"] == name
        and alert["status"] == status
        and (connector is None or alert["connector_id"] == connector)
    )


async def test_a_fault_with_a_vendor_code_raises_two_alerts_cleared_by_the_next_status(
    tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        await station.ok(
            "StatusNotification",
            status(2, "Faulted", "GroundFailure", vendorId="Acme", vendorErrorCode="E-17"),
        )
        faulted = await wait_for_alert(
            tenant, named("connector-faulted", "Triggered"), station_id=station_id
        )
        coded = await wait_for_alert(
            tenant, named("vendor-error", "Triggered"), station_id=station_id
        )
        assert (faulted["evse_id"], faulted["urgency"], faulted["category"]) == (
            2,
            "High",
            "Hardware",
        )
        assert coded["detail"]["vendor_error_code"] == "E-17"
        assert coded["detail"]["error_code"] == "GroundFailure"

        # The same fault reported again does not raise a second alert.
        await station.ok("StatusNotification", status(2, "Faulted", "GroundFailure"))
        await station.ok("StatusNotification", status(2, "Available"))
        await wait_for_alert(tenant, named("connector-faulted", "Resolved"), station_id=station_id)
        await wait_for_alert(tenant, named("vendor-error", "Resolved"), station_id=station_id)
        everything = await alerts(tenant, station_id=station_id)
        assert sorted(a["name"] for a in everything) == ["connector-faulted", "vendor-error"]
        assert all(a["ended_at"] is not None for a in everything)


async def test_failed_firmware_update_and_log_upload(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        await station.ok("FirmwareStatusNotification", {"status": "DownloadFailed"})
        await station.ok("DiagnosticsStatusNotification", {"status": "UploadFailed"})
        firmware = await wait_for_alert(
            tenant, named("firmware-failed", "Triggered"), station_id=station_id
        )
        assert firmware["detail"]["status"] == "DownloadFailed"
        await wait_for_alert(tenant, named("log-upload-failed", "Triggered"), station_id=station_id)

        await station.ok("FirmwareStatusNotification", {"status": "Installed"})
        await wait_for_alert(tenant, named("firmware-failed", "Resolved"), station_id=station_id)


async def test_a_rejected_boot_raises_an_alert_until_a_boot_is_accepted(tenant: Tenant) -> None:
    station_id = await register(tenant)
    patched = await tenant.api.patch(
        f"/stations/{station_id}", json={"registration_status": "Rejected"}
    )
    assert patched.status_code == 200, patched.text
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        assert (await station.ok("BootNotification", BOOT))["status"] == "Rejected"
    await wait_for_alert(tenant, named("boot-rejected", "Triggered"), station_id=station_id)

    await tenant.api.patch(f"/stations/{station_id}", json={"registration_status": "Accepted"})
    async with raw_station(tenant.server.ocpp_url, station_id) as station:
        assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"
    await wait_for_alert(tenant, named("boot-rejected", "Resolved"), station_id=station_id)


async def test_a_disabled_rule_raises_nothing(tenant: Tenant, online: Online) -> None:
    disabled = await tenant.api.patch("/alert-rules/connector-faulted", json={"enabled": False})
    assert disabled.status_code == 200 and disabled.json()["enabled"] is False
    async with online() as (station_id, station):
        await station.ok("StatusNotification", status(1, "Faulted", "OtherError"))
        # The vendor-error rule, still enabled, judges the same event: once its alert is
        # there, the disabled rule has had its chance too.
        await wait_for_alert(tenant, named("vendor-error", "Triggered"), station_id=station_id)
    assert [a["name"] for a in await alerts(tenant, station_id=station_id)] == ["vendor-error"]


async def test_rules_are_listed_with_defaults_and_changed_per_organization(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    listed = (await tenant.api.get("/alert-rules")).json()
    by_name = {rule["name"]: rule for rule in listed}
    assert by_name["station-offline"]["threshold_s"] == 300
    assert by_name["connector-faulted"]["threshold_s"] is None
    assert {"security-event", "charging-profile-rejected", "boot-rejected"} <= set(by_name)

    changed = await tenant.api.patch(
        "/alert-rules/station-offline", json={"threshold_s": 60, "urgency": "Low"}
    )
    assert (changed.json()["threshold_s"], changed.json()["urgency"]) == (60, "Low")
    others = {r["name"]: r for r in (await other_tenant.api.get("/alert-rules")).json()}
    assert others["station-offline"]["threshold_s"] == 300

    reset = await tenant.api.patch("/alert-rules/station-offline", json={"threshold_s": None})
    assert reset.json()["threshold_s"] == 300 and reset.json()["urgency"] == "Low"

    no_threshold = await tenant.api.patch("/alert-rules/connector-faulted", json={"threshold_s": 5})
    assert no_threshold.status_code == 422
    assert (await tenant.api.patch("/alert-rules/nope", json={})).status_code == 404
    assert (
        await tenant.api.patch("/alert-rules/station-offline", json={"threshold_s": 0})
    ).status_code == 422


async def test_a_rejected_charging_profile_and_a_critical_security_event(
    tenant: Tenant, online: Online
) -> None:
    profile = {
        "id": 1,
        "stack_level": 0,
        "purpose": "TxDefaultProfile",
        "kind": "Relative",
        "schedule": {"unit": "A", "periods": [{"start_offset_s": 0, "limit": 16}]},
    }
    async with online() as (station_id, station):
        station.answers["SetChargingProfile"] = {"status": "Rejected"}
        sent = await command(
            tenant, station_id, "set-charging-profile", {"evse_id": 1, "charging_profile": profile}
        )
        assert sent.status_code == 200, sent.text
        rejected = await wait_for_alert(
            tenant, named("charging-profile-rejected", "Triggered"), station_id=station_id
        )
        assert rejected["detail"]["status"] == "Rejected"

        await station.ok(
            "SecurityEventNotification",
            {"type": "StartupOfTheDevice", "timestamp": "2026-01-01T10:00:00Z"},
        )
        await station.ok(
            "SecurityEventNotification",
            {"type": "TamperDetectionActivated", "timestamp": "2026-01-01T10:00:00Z"},
        )
        security = await wait_for_alert(
            tenant, named("security-event", "Triggered"), station_id=station_id
        )
        assert security["detail"]["type"] == "TamperDetectionActivated"

        station.answers["SetChargingProfile"] = {"status": "Accepted"}
        await command(
            tenant, station_id, "set-charging-profile", {"evse_id": 1, "charging_profile": profile}
        )
        await wait_for_alert(
            tenant, named("charging-profile-rejected", "Resolved"), station_id=station_id
        )
    security_alerts = await alerts(tenant, station_id=station_id, name="security-event")
    assert [a["detail"]["type"] for a in security_alerts] == ["TamperDetectionActivated"]


async def test_viewers_read_alerts_and_rules_but_change_neither(tenant: Tenant) -> None:
    async for viewer in make_tenant(tenant.server, role="viewer"):
        assert (await viewer.api.get("/alerts")).status_code == 200
        assert (await viewer.api.get("/alert-rules")).status_code == 200
        refused = await viewer.api.patch("/alert-rules/station-offline", json={"threshold_s": 5})
        assert refused.status_code == 403
        assert (await viewer.api.patch("/alerts/x", json={"note": "n"})).status_code == 403
