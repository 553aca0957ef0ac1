"""OCPP 1.6 OCTT CSMS cases in which the CSMS acts: Core remote control and configuration,
Local Auth List, Reservation, Remote Trigger and Smart Charging.

The OCTT asks the tester to make the CSMS act ("the CPO remotely requests ..."); here that is
Chargeyard's REST API (`--api-url`, `--api-token`), and the case then checks the message the
CSMS sent the station and how it handled the station's answer.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from chargeyard.conformance.case import Catalog, Need, expect, expect_equal, field
from chargeyard.conformance.context import CaseContext
from chargeyard.conformance.v16_states import CONNECTOR, Station16, timestamp

CATALOG = Catalog("1.6")
case = CATALOG.case


async def _booted(ctx: CaseContext) -> Station16:
    station = await Station16.connect(ctx)
    await station.booted()
    return station


async def _command(ctx: CaseContext, name: str, body: dict[str, Any] | None = None) -> str:
    """Have the CSMS send a command; the status the station's answer carried, as it reports."""
    answer = await ctx.api.command(ctx.station_id, name, body)
    return str(answer.get("status", ""))


@case("TC_010_CSMS", "Remote Start Charging Session - Cable Plugged in First", Need.API)
async def remote_start_cable_first(ctx: CaseContext) -> str | None:
    """Sends RemoteStartTransaction for the tag, then accepts the session it started."""
    tag = await ctx.accepted_tag()
    station = await _booted(ctx)
    await station.status(CONNECTOR, "Preparing")
    await _command(ctx, "remote-start", {"id_tag": tag, "evse_id": CONNECTOR})
    request = await station.link.expect("RemoteStartTransaction")
    expect_equal(request["idTag"], tag, "RemoteStartTransaction.req idTag")
    await station.authorized(tag)
    transaction_id = await station.start(tag)
    await station.status(CONNECTOR, "Charging")
    await station.finish(transaction_id)
    return None


@case("TC_011_1_CSMS", "Remote Start Charging Session - Remote Start First", Need.API)
async def remote_start_first(ctx: CaseContext) -> str | None:
    """Sends RemoteStartTransaction before any cable, then accepts the session."""
    tag = await ctx.accepted_tag()
    station = await _booted(ctx)
    await _command(ctx, "remote-start", {"id_tag": tag})
    request = await station.link.expect("RemoteStartTransaction")
    expect_equal(request["idTag"], tag, "RemoteStartTransaction.req idTag")
    await station.authorized(tag)
    await station.status(CONNECTOR, "Preparing")
    transaction_id = await station.start(tag)
    await station.status(CONNECTOR, "Charging")
    await station.finish(transaction_id)
    return None


@case("TC_012_CSMS", "Remote Stop Charging Session", Need.API)
async def remote_stop(ctx: CaseContext) -> str | None:
    """Sends RemoteStopTransaction for the running transaction and takes its Remote stop."""
    tag = await ctx.accepted_tag()
    station = await _booted(ctx)
    transaction_id = await station.charging(tag)
    await _command(ctx, "remote-stop", {"transaction_id": transaction_id})
    request = await station.link.expect("RemoteStopTransaction")
    expect_equal(request["transactionId"], transaction_id, "RemoteStopTransaction.req id")
    await station.finish(transaction_id, "Remote")
    return None


@case("TC_019_1_CSMS", "Retrieve all configuration keys", Need.API)
async def get_all_configuration(ctx: CaseContext) -> str | None:
    """Asks for every configuration key with a GetConfiguration that names none."""
    station = await _booted(ctx)
    await _command(ctx, "get-configuration", {})
    request = await station.link.expect("GetConfiguration")
    expect(not request.get("key"), f"GetConfiguration.req names keys {request.get('key')}")
    return None


@case("TC_021_CSMS", "Change/set Configuration", Need.API)
async def change_configuration(ctx: CaseContext) -> str | None:
    """Sends ChangeConfiguration MeterValueSampleInterval = 60 and takes its acceptance."""
    station = await _booted(ctx)
    status = await _command(
        ctx, "change-configuration", {"key": "MeterValueSampleInterval", "value": "60"}
    )
    request = await station.link.expect("ChangeConfiguration")
    expect_equal(request["key"], "MeterValueSampleInterval", "ChangeConfiguration.req key")
    expect_equal(request["value"], "60", "ChangeConfiguration.req value")
    expect_equal(status, "Accepted", "the status the CSMS reports")
    return None


@case("TC_026_CSMS", "Remote Start Charging Session - Rejected", Need.API)
async def remote_start_rejected(ctx: CaseContext) -> str | None:
    """Handles a charge point that rejects RemoteStartTransaction (and reports it)."""
    tag = await ctx.accepted_tag()
    station = await _booted(ctx)
    station.link.answers["RemoteStartTransaction"] = {"status": "Rejected"}
    status = await _command(ctx, "remote-start", {"id_tag": tag, "evse_id": CONNECTOR})
    await station.link.expect("RemoteStartTransaction")
    expect_equal(status, "Rejected", "the status the CSMS reports")
    return None


@case("TC_028_CSMS", "Remote Stop Transaction - Rejected", Need.API)
async def remote_stop_rejected(ctx: CaseContext) -> str | None:
    """Handles a charge point that rejects RemoteStopTransaction (and reports it)."""
    tag = await ctx.accepted_tag()
    station = await _booted(ctx)
    transaction_id = await station.charging(tag)
    station.link.answers["RemoteStopTransaction"] = {"status": "Rejected"}
    status = await _command(ctx, "remote-stop", {"transaction_id": transaction_id})
    await station.link.expect("RemoteStopTransaction")
    expect_equal(status, "Rejected", "the status the CSMS reports")
    await station.finish(transaction_id)
    return None


@case("TC_043_4_CSMS", "Send Local Authorization List - Full", Need.API)
async def send_local_list_full(ctx: CaseContext) -> str | None:
    """Sends a full local list whose every entry carries its idTagInfo."""
    tag = await ctx.accepted_tag()
    station = await _booted(ctx)
    await _command(ctx, "send-local-list", {"update_type": "full", "id_tags": [tag]})
    request = await station.link.expect("SendLocalList")
    expect_equal(request["updateType"], "Full", "SendLocalList.req updateType")
    entries = request.get("localAuthorizationList") or []
    expect(bool(entries), "SendLocalList.req has no localAuthorizationList entries")
    for entry in entries:
        expect("idTagInfo" in entry, f"local list entry {entry.get('idTag')} has no idTagInfo")
    return f"listVersion {request['listVersion']}"


@case("TC_046_CSMS", "Reservation of a Connector - Transaction", Need.API)
async def reservation_transaction(ctx: CaseContext) -> str | None:
    """Reserves the connector for the tag and accepts the transaction that uses it."""
    tag = await ctx.accepted_tag()
    station = await _booted(ctx)
    expires_at = datetime.now(UTC) + timedelta(hours=1)
    await _command(
        ctx,
        "reserve-now",
        {"evse_id": CONNECTOR, "id_tag": tag, "expires_at": expires_at.isoformat()},
    )
    request = await station.link.expect("ReserveNow")
    expect_equal(request["connectorId"], CONNECTOR, "ReserveNow.req connectorId")
    expect_equal(request["idTag"], tag, "ReserveNow.req idTag")
    await station.status(CONNECTOR, "Reserved")
    transaction_id = await station.charging(tag, reservation_id=request["reservationId"])
    await station.finish(transaction_id)
    return None


_TRIGGERED: tuple[tuple[str, dict[str, Any]], ...] = (
    ("MeterValues", {"connectorId": CONNECTOR}),
    ("Heartbeat", {}),
    ("StatusNotification", {}),
    ("DiagnosticsStatusNotification", {"status": "Idle"}),
    ("FirmwareStatusNotification", {"status": "Idle"}),
)


@case("TC_054_CSMS", "Trigger Message", Need.API)
async def trigger_message(ctx: CaseContext) -> str | None:
    """Triggers each message the Remote Trigger profile names, and takes what follows."""
    station = await _booted(ctx)
    for message, _ in _TRIGGERED:
        seen = len(station.link.received)
        body = {"message": message, "evse_id": CONNECTOR} if message == "MeterValues" else None
        await _command(ctx, "trigger-message", body or {"message": message})
        request = await station.link.expect("TriggerMessage", after=seen)
        expect_equal(request["requestedMessage"], message, "TriggerMessage.req requestedMessage")
        await _send_triggered(station, message)
    return None


async def _send_triggered(station: Station16, message: str) -> None:
    if message == "MeterValues":
        sample = {"value": str(station.meter_wh), "measurand": "Energy.Active.Import.Register"}
        await station.link.call(
            message,
            {
                "connectorId": CONNECTOR,
                "meterValue": [{"timestamp": timestamp(), "sampledValue": [sample]}],
            },
        )
    elif message == "StatusNotification":
        await station.status(CONNECTOR, "Available")
    else:
        await station.link.call(message, dict(_TRIGGERED)[message])


def _profile(purpose: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": random.randint(10_000, 99_999),
        "purpose": purpose,
        "kind": "Relative",
        "stack_level": 0,
        "schedule": {
            "unit": "A",
            "duration_s": 3600,
            "periods": [{"start_offset_s": 0, "limit": "16"}],
        },
        **extra,
    }


async def _clear_profile(ctx: CaseContext, profile_id: int) -> None:
    async def clear() -> None:
        await ctx.api.command(ctx.station_id, "clear-charging-profile", {"id": profile_id})

    ctx.on_cleanup(clear)


@case("TC_056_CSMS", "Central Smart Charging - TxDefaultProfile", Need.API)
async def tx_default_profile(ctx: CaseContext) -> str | None:
    """Sets a TxDefaultProfile, a default schedule for new transactions."""
    station = await _booted(ctx)
    profile = _profile("TxDefaultProfile")
    await _clear_profile(ctx, profile["id"])
    await _command(ctx, "set-charging-profile", {"evse_id": CONNECTOR, "charging_profile": profile})
    request = await station.link.expect("SetChargingProfile")
    sent = request["csChargingProfiles"]
    expect_equal(sent["chargingProfilePurpose"], "TxDefaultProfile", "chargingProfilePurpose")
    expect_equal(sent["chargingProfileId"], profile["id"], "chargingProfileId")
    return None


@case("TC_057_CSMS", "Central Smart Charging - TxProfile", Need.API)
async def tx_profile(ctx: CaseContext) -> str | None:
    """Sets a TxProfile for the running transaction, shaped as the OCTT requires."""
    tag = await ctx.accepted_tag()
    station = await _booted(ctx)
    transaction_id = await station.charging(tag)
    profile = _profile("TxProfile", transaction_id=transaction_id)
    await _command(ctx, "set-charging-profile", {"evse_id": CONNECTOR, "charging_profile": profile})
    request = await station.link.expect("SetChargingProfile")
    expect_equal(request["connectorId"], CONNECTOR, "SetChargingProfile.req connectorId")
    sent = request["csChargingProfiles"]
    expect_equal(sent["chargingProfilePurpose"], "TxProfile", "chargingProfilePurpose")
    expect_equal(sent.get("transactionId"), transaction_id, "csChargingProfiles.transactionId")
    expect("recurrencyKind" not in sent, "csChargingProfiles.recurrencyKind is not omitted")
    expect_equal(sent["chargingProfileKind"], "Relative", "chargingProfileKind")
    expect(
        field(sent, "chargingSchedule.startSchedule") is None,
        "a Relative profile's chargingSchedule.startSchedule is not omitted",
    )
    await station.finish(transaction_id)
    return None


@case("TC_061_CSMS", "Clear Authorization Data in Authorization Cache", Need.API)
async def clear_cache(ctx: CaseContext) -> str | None:
    """Sends ClearCache and takes the charge point's acceptance."""
    station = await _booted(ctx)
    status = await _command(ctx, "clear-cache")
    await station.link.expect("ClearCache")
    expect_equal(status, "Accepted", "the status the CSMS reports")
    return None
