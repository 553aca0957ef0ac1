"""OCPP 1.6 OCTT CSMS cases in which the CSMS acts: Core remote control, configuration and
authorization cache, Local Auth List Management and Remote Trigger.

The OCTT asks the tester to make the CSMS act ("the CPO remotely requests ..."); here that is
Chargeyard's REST API (`--api-url`, `--api-token`), and the case then checks the message the
CSMS sent the station and how it handled the station's answer.
"""

from __future__ import annotations

from typing import Any

from chargeyard.conformance.case import Catalog, Need, expect, expect_equal
from chargeyard.conformance.context import CaseContext
from chargeyard.conformance.v16_states import CONNECTOR, Station16, timestamp

CATALOG = Catalog("1.6")
case = CATALOG.case


async def _command(ctx: CaseContext, name: str, body: dict[str, Any] | None = None) -> str:
    """Have the CSMS send a command; the status the station's answer carried, as it reports."""
    return str((await ctx.command(name, body)).get("status", ""))


@case("TC_010_CSMS", "Remote Start Charging Session - Cable Plugged in First", Need.API)
async def remote_start_cable_first(ctx: CaseContext) -> str | None:
    """Sends RemoteStartTransaction for the tag, then accepts the session it started."""
    tag = await ctx.accepted_tag()
    station = await Station16.booted_on(ctx)
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
    station = await Station16.booted_on(ctx)
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
    station = await Station16.booted_on(ctx)
    transaction_id = await station.charging(tag)
    await _command(ctx, "remote-stop", {"transaction_id": transaction_id})
    request = await station.link.expect("RemoteStopTransaction")
    expect_equal(request["transactionId"], transaction_id, "RemoteStopTransaction.req id")
    await station.finish(transaction_id, "Remote")
    return None


@case("TC_019_1_CSMS", "Retrieve all configuration keys", Need.API)
async def get_all_configuration(ctx: CaseContext) -> str | None:
    """Asks for every configuration key with a GetConfiguration that names none."""
    station = await Station16.booted_on(ctx)
    await _command(ctx, "get-configuration", {})
    request = await station.link.expect("GetConfiguration")
    expect(not request.get("key"), f"GetConfiguration.req names keys {request.get('key')}")
    return None


@case("TC_021_CSMS", "Change/set Configuration", Need.API)
async def change_configuration(ctx: CaseContext) -> str | None:
    """Sends ChangeConfiguration MeterValueSampleInterval = 60 and takes its acceptance."""
    station = await Station16.booted_on(ctx)
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
    station = await Station16.booted_on(ctx)
    station.link.answers["RemoteStartTransaction"] = {"status": "Rejected"}
    status = await _command(ctx, "remote-start", {"id_tag": tag, "evse_id": CONNECTOR})
    await station.link.expect("RemoteStartTransaction")
    expect_equal(status, "Rejected", "the status the CSMS reports")
    return None


@case("TC_028_CSMS", "Remote Stop Transaction - Rejected", Need.API)
async def remote_stop_rejected(ctx: CaseContext) -> str | None:
    """Handles a charge point that rejects RemoteStopTransaction (and reports it)."""
    tag = await ctx.accepted_tag()
    station = await Station16.booted_on(ctx)
    transaction_id = await station.charging(tag)
    station.link.answers["RemoteStopTransaction"] = {"status": "Rejected"}
    status = await _command(ctx, "remote-stop", {"transaction_id": transaction_id})
    await station.link.expect("RemoteStopTransaction")
    expect_equal(status, "Rejected", "the status the CSMS reports")
    await station.finish(transaction_id)
    return None


@case("TC_040_1_CSMS", "Configuration keys - NotSupported", Need.API)
async def configuration_key_not_supported(ctx: CaseContext) -> str | None:
    """Handles a charge point answering NotSupported to a key it does not have (and reports
    it)."""
    station = await Station16.booted_on(ctx)
    station.link.answers["ChangeConfiguration"] = {"status": "NotSupported"}
    status = await _command(
        ctx, "change-configuration", {"key": "OCTTUnsupportedKey", "value": "1"}
    )
    request = await station.link.expect("ChangeConfiguration")
    expect_equal(request["key"], "OCTTUnsupportedKey", "ChangeConfiguration.req key")
    expect_equal(status, "NotSupported", "the status the CSMS reports")
    return None


@case("TC_043_4_CSMS", "Send Local Authorization List - Full", Need.API)
async def send_local_list_full(ctx: CaseContext) -> str | None:
    """Sends a full local list whose every entry carries its idTagInfo."""
    tag = await ctx.accepted_tag()
    station = await Station16.booted_on(ctx)
    await _command(ctx, "send-local-list", {"update_type": "full", "id_tags": [tag]})
    request = await station.link.expect("SendLocalList")
    expect_equal(request["updateType"], "Full", "SendLocalList.req updateType")
    entries = request.get("localAuthorizationList") or []
    expect(bool(entries), "SendLocalList.req has no localAuthorizationList entries")
    for entry in entries:
        expect("idTagInfo" in entry, f"local list entry {entry.get('idTag')} has no idTagInfo")
    return f"listVersion {request['listVersion']}"


@case("TC_043_5_CSMS", "Send Local Authorization List - Differential", Need.API)
async def send_local_list_differential(ctx: CaseContext) -> str | None:
    """Sends a differential update holding only the new tag, with its idTagInfo, under a
    greater list version than the full list's."""
    tag = await ctx.accepted_tag()
    added = await ctx.tag_with_status("Accepted")
    station = await Station16.booted_on(ctx)
    await _command(ctx, "send-local-list", {"update_type": "full", "id_tags": [tag]})
    initial = (await station.link.expect("SendLocalList"))["listVersion"]
    station.link.answers["GetLocalListVersion"] = {"listVersion": initial}
    await _command(ctx, "get-local-list-version")
    await station.link.expect("GetLocalListVersion")
    seen = len(station.link.received)
    body = {"update_type": "differential", "id_tags": [added], "version": initial + 1}
    await _command(ctx, "send-local-list", body)
    request = await station.link.expect("SendLocalList", after=seen)
    expect_equal(request["updateType"], "Differential", "SendLocalList.req updateType")
    entries = request.get("localAuthorizationList") or []
    expect_equal([entry["idTag"] for entry in entries], [added], "the differential list's tags")
    expect("idTagInfo" in entries[0], "the differential entry has no idTagInfo")
    expect(request["listVersion"] > initial, f"listVersion {request['listVersion']} <= {initial}")
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
    station = await Station16.booted_on(ctx)
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
                "meterValue": [
                    {"timestamp": timestamp(station.ctx.clock()), "sampledValue": [sample]}
                ],
            },
        )
    elif message == "StatusNotification":
        await station.status(CONNECTOR, "Available")
    else:
        await station.link.call(message, dict(_TRIGGERED)[message])


@case("TC_061_CSMS", "Clear Authorization Data in Authorization Cache", Need.API)
async def clear_cache(ctx: CaseContext) -> str | None:
    """Sends ClearCache and takes the charge point's acceptance."""
    station = await Station16.booted_on(ctx)
    status = await _command(ctx, "clear-cache")
    await station.link.expect("ClearCache")
    expect_equal(status, "Accepted", "the status the CSMS reports")
    return None
