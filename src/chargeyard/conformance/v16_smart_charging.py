"""OCPP 1.6 OCTT CSMS cases of the Smart Charging profile: the CSMS sets, reads and clears
charging profiles (made to act through the REST API, as v16_remote.py explains)."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from chargeyard.conformance.case import Catalog, Need, expect, expect_equal, field
from chargeyard.conformance.context import CaseContext
from chargeyard.conformance.v16_states import CONNECTOR, Station16, timestamp

CATALOG = Catalog("1.6")
case = CATALOG.case


def _profile(
    purpose: str, *, kind: str = "Relative", start: datetime | None = None, **extra: Any
) -> dict[str, Any]:
    """A 16 A profile for an hour, with a fresh id (`start`: when it begins, for Absolute)."""
    schedule: dict[str, Any] = {
        "unit": "A",
        "duration_s": 3600,
        "periods": [{"start_offset_s": 0, "limit": "16"}],
    }
    if start is not None:
        schedule["start"] = start.isoformat()
    return {
        "id": random.randint(10_000, 99_999),
        "purpose": purpose,
        "kind": kind,
        "stack_level": 0,
        "schedule": schedule,
        **extra,
    }


def _clear_profile(ctx: CaseContext, profile_id: int) -> None:
    """Clear the profile at the CSMS (and the station) when the case ends."""

    async def clear() -> None:
        await ctx.command("clear-charging-profile", {"id": profile_id})

    ctx.on_cleanup(clear)


@case("TC_056_CSMS", "Central Smart Charging - TxDefaultProfile", Need.API)
async def tx_default_profile(ctx: CaseContext) -> str | None:
    """Sets a TxDefaultProfile, a default schedule for new transactions."""
    station = await Station16.booted_on(ctx)
    profile = _profile("TxDefaultProfile")
    _clear_profile(ctx, profile["id"])
    await ctx.command("set-charging-profile", {"evse_id": CONNECTOR, "charging_profile": profile})
    request = await station.link.expect("SetChargingProfile")
    sent = request["csChargingProfiles"]
    expect_equal(sent["chargingProfilePurpose"], "TxDefaultProfile", "chargingProfilePurpose")
    expect_equal(sent["chargingProfileId"], profile["id"], "chargingProfileId")
    return None


@case("TC_057_CSMS", "Central Smart Charging - TxProfile", Need.API)
async def tx_profile(ctx: CaseContext) -> str | None:
    """Sets a TxProfile for the running transaction, shaped as the OCTT requires."""
    tag = await ctx.accepted_tag()
    station = await Station16.booted_on(ctx)
    transaction_id = await station.charging(tag)
    profile = _profile("TxProfile", transaction_id=transaction_id)
    await ctx.command("set-charging-profile", {"evse_id": CONNECTOR, "charging_profile": profile})
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


@case("TC_059_CSMS", "Remote Start Transaction with Charging Profile", Need.API)
async def remote_start_with_profile(ctx: CaseContext) -> str | None:
    """Sends RemoteStartTransaction carrying a TxProfile, then handles the session."""
    tag = await ctx.accepted_tag()
    station = await Station16.booted_on(ctx)
    profile = _profile("TxProfile")
    body = {"id_tag": tag, "evse_id": CONNECTOR, "charging_profile": profile}
    await ctx.command("remote-start", body)
    request = await station.link.expect("RemoteStartTransaction")
    sent = request.get("chargingProfile") or {}
    expect_equal(sent.get("chargingProfilePurpose"), "TxProfile", "chargingProfilePurpose")
    expect("transactionId" not in sent, "the remote start's profile names a transactionId")
    await station.authorized(tag)
    transaction_id = await station.charging(tag)
    await station.finish(transaction_id)
    return None


@case("TC_066_CSMS", "Get Composite Schedule", Need.API)
async def get_composite_schedule(ctx: CaseContext) -> str | None:
    """Asks for the composite schedule of a connector, duration and rate unit, and takes it."""
    station = await Station16.booted_on(ctx)
    station.link.answers["GetCompositeSchedule"] = {
        "status": "Accepted",
        "connectorId": CONNECTOR,
        "scheduleStart": timestamp(ctx.clock()),
        "chargingSchedule": {
            "duration": 3600,
            "chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 16.0}],
        },
    }
    body = {"evse_id": CONNECTOR, "duration": 3600, "charging_rate_unit": "A"}
    answer = await ctx.command("get-composite-schedule", body)
    request = await station.link.expect("GetCompositeSchedule")
    expect_equal(request["connectorId"], CONNECTOR, "GetCompositeSchedule.req connectorId")
    expect_equal(request["duration"], 3600, "GetCompositeSchedule.req duration")
    expect_equal(request.get("chargingRateUnit"), "A", "GetCompositeSchedule.req rate unit")
    expect_equal(answer.get("status"), "Accepted", "the status the CSMS reports")
    return None


@case("TC_067_CSMS", "Clear Charging Profile", Need.API)
async def clear_charging_profile(ctx: CaseContext) -> str | None:
    """Sets three profiles, then clears one by id, one by criteria and the rest."""
    tag = await ctx.accepted_tag()
    station = await Station16.booted_on(ctx)
    transaction_id = await station.charging(tag)
    profiles = (
        (0, _profile("ChargePointMaxProfile", kind="Absolute", start=ctx.clock())),
        (CONNECTOR, _profile("TxDefaultProfile")),
        (CONNECTOR, _profile("TxProfile", transaction_id=transaction_id)),
    )
    for evse_id, profile in profiles:
        await ctx.command("set-charging-profile", {"evse_id": evse_id, "charging_profile": profile})
    first = profiles[0][1]
    clears: tuple[dict[str, Any], ...] = (
        {"id": first["id"]},
        {"evse_id": CONNECTOR, "purpose": "TxProfile", "stack_level": 0},
        {},
    )
    seen = len(station.link.received)
    for body in clears:
        await ctx.command("clear-charging-profile", body)
    sent = [r.payload for r in station.link.received[seen:] if r.action == "ClearChargingProfile"]
    expect_equal(len(sent), 3, "ClearChargingProfile.req count")
    expect_equal(sent[0].get("id"), first["id"], "the first ClearChargingProfile.req id")
    expect_equal(
        sent[1].get("chargingProfilePurpose"),
        "TxProfile",
        "the second one's chargingProfilePurpose",
    )
    expect_equal(sent[2], {}, "the third ClearChargingProfile.req (clear all)")
    await station.finish(transaction_id)
    return None
