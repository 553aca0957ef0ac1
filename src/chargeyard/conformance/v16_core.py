"""OCPP 1.6 OCTT CSMS cases the station drives by itself: Core (boot, charging sessions,
authorization, power failure, offline transactions, data transfer) and Security (Basic
authentication). Titles are the OCTT test case document's.
"""

from __future__ import annotations

from datetime import timedelta

from chargeyard.conformance.case import Catalog, Need, expect, expect_equal, expect_in, field
from chargeyard.conformance.context import CaseContext, unknown_tag
from chargeyard.conformance.v16_states import CONNECTOR, Station16

CATALOG = Catalog("1.6")
case = CATALOG.case


@case("TC_001_CSMS", "Cold Boot Charge Point")
async def cold_boot(ctx: CaseContext) -> str | None:
    """Accepts a booting charge point, its connector statuses and its heartbeat."""
    station = await Station16.connect(ctx)
    boot = await station.booted()
    heartbeat = await station.link.call("Heartbeat", {})
    expect(bool(heartbeat.get("currentTime")), "Heartbeat.conf has no currentTime")
    return f"heartbeat interval {boot['interval']} s"


@case("TC_003_CSMS", "Regular Charging Session - Plugin First", Need.ACCEPTED_TAG)
async def plugin_first(ctx: CaseContext) -> str | None:
    """Accepts the tag and the transaction when the cable is plugged in before the tag."""
    tag = await ctx.accepted_tag()
    station = await Station16.connect(ctx)
    await station.booted()
    await station.status(CONNECTOR, "Preparing")
    await station.authorized(tag)
    transaction_id = await station.start(tag)
    await station.status(CONNECTOR, "Charging")
    await station.finish(transaction_id)
    return f"transaction {transaction_id}"


@case("TC_004_1_CSMS", "Regular Charging Session - Identification First", Need.ACCEPTED_TAG)
async def identification_first(ctx: CaseContext) -> str | None:
    """Accepts the tag and the transaction when the tag is presented before the cable."""
    tag = await ctx.accepted_tag()
    station = await Station16.connect(ctx)
    await station.booted()
    await station.authorized(tag)
    transaction_id = await station.start(tag)
    await station.status(CONNECTOR, "Charging")
    await station.finish(transaction_id)
    return f"transaction {transaction_id}"


@case(
    "TC_004_2_CSMS",
    "Regular Charging Session - Identification First - ConnectionTimeOut",
    Need.ACCEPTED_TAG,
)
async def connection_timeout(ctx: CaseContext) -> str | None:
    """Handles a connector going back to Available when no cable came after authorization."""
    tag = await ctx.accepted_tag()
    station = await Station16.connect(ctx)
    await station.booted()
    await station.authorized(tag)
    await station.status(CONNECTOR, "Preparing")
    await station.status(CONNECTOR, "Available")
    return None


@case(
    "TC_005_1_CSMS",
    "EV Side Disconnected - StopTransactionOnEVSideDisconnect = true - "
    "UnlockConnectorOnEVSideDisconnect = true",
    Need.ACCEPTED_TAG,
)
async def ev_side_disconnected(ctx: CaseContext) -> str | None:
    """Handles a transaction stopped because the cable was pulled out at the EV side."""
    tag = await ctx.accepted_tag()
    station = await Station16.connect(ctx)
    await station.booted()
    transaction_id = await station.charging(tag)
    await station.status(CONNECTOR, "SuspendedEV")
    await station.stop(transaction_id, "EVDisconnected")
    await station.status(CONNECTOR, "Finishing")
    await station.status(CONNECTOR, "Available")
    return None


@case("TC_007_CSMS", "Regular Start Charging Session - Cached Id", Need.ACCEPTED_TAG)
async def cached_id(ctx: CaseContext) -> str | None:
    """Accepts a transaction started with a cached tag, without an Authorize first."""
    tag = await ctx.accepted_tag()
    station = await Station16.connect(ctx)
    await station.booted()
    await station.status(CONNECTOR, "Preparing")
    transaction_id = await station.start(tag)
    await station.status(CONNECTOR, "Charging")
    await station.finish(transaction_id)
    return None


@case("TC_023_1_CSMS", "Start Charging Session - Authorize invalid")
async def authorize_invalid(ctx: CaseContext) -> str | None:
    """Answers Invalid for an ID tag it does not know."""
    station = await Station16.connect(ctx)
    await station.booted()
    expect_equal(
        await station.authorize(unknown_tag()), "Invalid", "Authorize.conf idTagInfo.status"
    )
    return None


@case("TC_023_2_CSMS", "Start Charging Session - Authorize expired", Need.API)
async def authorize_expired(ctx: CaseContext) -> str | None:
    """Answers Expired for an ID tag whose validity has ended."""
    tag = await ctx.tag_with_status("Expired")
    station = await Station16.connect(ctx)
    await station.booted()
    expect_equal(await station.authorize(tag), "Expired", "Authorize.conf idTagInfo.status")
    return None


@case("TC_023_3_CSMS", "Start Charging Session - Authorize blocked", Need.API)
async def authorize_blocked(ctx: CaseContext) -> str | None:
    """Answers Blocked for a blocked ID tag."""
    tag = await ctx.tag_with_status("Blocked")
    station = await Station16.connect(ctx)
    await station.booted()
    expect_equal(await station.authorize(tag), "Blocked", "Authorize.conf idTagInfo.status")
    return None


@case(
    "TC_032_1_CSMS",
    "Power failure boot charging point-configured to stop transaction(s)",
    Need.ACCEPTED_TAG,
)
async def power_failure(ctx: CaseContext) -> str | None:
    """Accepts the boot after a power failure and the transaction stopped with PowerLoss."""
    tag = await ctx.accepted_tag()
    before = await Station16.connect(ctx)
    await before.booted()
    transaction_id = await before.charging(tag)
    went_down = ctx.clock()
    await before.link.close()  # the power is cut: no goodbye
    after = await Station16.connect(ctx)
    after.meter_wh = before.meter_wh
    after.open_transactions.add(transaction_id)
    await after.boot()
    await after.status(0, "Available")
    await after.status(CONNECTOR, "Finishing")
    await after.stop(transaction_id, "PowerLoss", at=went_down)
    await after.status(CONNECTOR, "Available")
    return None


@case("TC_037_1_CSMS", "Offline Start Transaction - Valid IdTag", Need.ACCEPTED_TAG)
async def offline_start(ctx: CaseContext) -> str | None:
    """Accepts a queued StartTransaction a charge point sends once it is back online."""
    tag = await ctx.accepted_tag()
    first = await Station16.connect(ctx)
    await first.booted()
    await first.link.close()  # connectivity lost; the driver starts offline
    started = ctx.clock() - timedelta(minutes=2)
    station = await Station16.connect(ctx)
    transaction_id = await station.start(tag, at=started)
    await station.status(CONNECTOR, "Charging")
    await station.finish(transaction_id)
    return None


@case("TC_039_CSMS", "Offline Transaction", Need.ACCEPTED_TAG)
async def offline_transaction(ctx: CaseContext) -> str | None:
    """Accepts a whole transaction queued while offline: its start, then its stop."""
    tag = await ctx.accepted_tag()
    first = await Station16.connect(ctx)
    await first.booted()
    await first.link.close()
    now = ctx.clock()
    station = await Station16.connect(ctx)
    transaction_id = await station.start(tag, at=now - timedelta(minutes=10))
    answer = await station.stop(transaction_id, "Local", at=now - timedelta(minutes=5))
    status = field(answer, "idTagInfo.status")
    expect(status in (None, "Accepted"), f"StopTransaction.conf idTagInfo.status is {status!r}")
    return None


@case("TC_064_CSMS", "Data Transfer to a Central System")
async def data_transfer(ctx: CaseContext) -> str | None:
    """Does not accept vendor-specific data it does not know (Accepted passes, with a warning)."""
    station = await Station16.connect(ctx)
    await station.booted()
    answer = await station.link.call(
        "DataTransfer", {"vendorId": "org.openchargealliance.octt", "messageId": "Test"}
    )
    status = answer["status"]
    allowed = ("Rejected", "UnknownMessageId", "UnknownVendorId", "Accepted")
    expect_in(status, allowed, "DataTransfer.conf status")
    return "warning: Accepted an unknown vendorId (allowed)" if status == "Accepted" else None


@case("TC_085_CSMS", "Basic Authentication - Valid username/password combination")
async def basic_auth_valid(ctx: CaseContext) -> str | None:
    """Upgrades a connection whose Basic credentials are valid, and accepts the boot."""
    expect(ctx.target.password is not None, "needs the station's --password")
    station = await Station16.connect(ctx)
    await station.boot()
    return None
