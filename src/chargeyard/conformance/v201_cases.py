"""OCPP 2.0.1 OCTT CSMS cases (Core and Advanced Security) the station drives by itself:
A. Security (Basic authentication), B. Provisioning (boot), C. Authorization and
E. Transactions. Titles are those of OCPP 2.0.1 Part 6 (test cases).
"""

from __future__ import annotations

from chargeyard.conformance.case import (
    CaseFailed,
    Catalog,
    Need,
    expect,
    expect_equal,
    expect_in,
)
from chargeyard.conformance.context import CaseContext, unknown_tag
from chargeyard.conformance.link import HandshakeRefused
from chargeyard.conformance.v201_states import Station201

CATALOG = Catalog("2.0.1")
case = CATALOG.case


@case("TC_A_01_CSMS", "Basic Authentication - Valid username/password combination")
async def basic_auth_valid(ctx: CaseContext) -> str | None:
    """Upgrades a connection with valid Basic credentials and accepts the boot."""
    await Station201.booted_on(ctx)
    return None


@case("TC_A_02_CSMS", "Basic Authentication - Username does not equal ChargingStationId")
async def basic_auth_wrong_username(ctx: CaseContext) -> str | None:
    """Refuses the upgrade when the Basic username is not the station's id."""
    try:
        await ctx.connect(username=f"{ctx.station_id}Invalid")
    except HandshakeRefused as refused:
        return f"refused ({refused})"
    raise CaseFailed("the CSMS upgraded a connection whose username is not the station id")


@case("TC_B_01_CSMS", "Cold Boot Charging Station - Accepted")
async def cold_boot(ctx: CaseContext) -> str | None:
    """Accepts a registered station's boot, its connector status and its heartbeat."""
    station = await Station201.connect(ctx)
    boot = await station.booted()
    expect(boot["interval"] > 0, f"BootNotificationResponse interval is {boot['interval']}")
    heartbeat = await station.link.call("Heartbeat", {})
    expect(bool(heartbeat.get("currentTime")), "HeartbeatResponse has no currentTime")
    return f"heartbeat interval {boot['interval']} s"


@case("TC_C_02_CSMS", "Local start transaction - Authorization Invalid/Unknown")
async def authorization_invalid(ctx: CaseContext) -> str | None:
    """Reports an idToken it does not know as Invalid or Unknown."""
    station = await Station201.booted_on(ctx)
    status = await station.authorize(unknown_tag())
    expect_in(status, ("Invalid", "Unknown"), "AuthorizeResponse idTokenInfo.status")
    return None


@case("TC_C_06_CSMS", "Local start transaction - Authorization Blocked", Need.API)
async def authorization_blocked(ctx: CaseContext) -> str | None:
    """Reports a blocked idToken as Blocked."""
    token = await ctx.tag_with_status("Blocked")
    station = await Station201.booted_on(ctx)
    expect_equal(await station.authorize(token), "Blocked", "AuthorizeResponse status")
    return None


@case("TC_C_07_CSMS", "Local start transaction - Authorization Expired", Need.API)
async def authorization_expired(ctx: CaseContext) -> str | None:
    """Reports an expired idToken as Expired."""
    token = await ctx.tag_with_status("Expired")
    station = await Station201.booted_on(ctx)
    expect_equal(await station.authorize(token), "Expired", "AuthorizeResponse status")
    return None


@case("TC_E_03_CSMS", "Local start transaction - Cable plugin first - Success", Need.ACCEPTED_TAG)
async def cable_plugin_first(ctx: CaseContext) -> str | None:
    """Handles a session in which the EV is connected before the driver is authorized."""
    token = await ctx.accepted_tag()
    station = await Station201.booted_on(ctx)
    await station.ev_connected()
    await station.authorized(token)
    await station.energy_transfer_started()
    await station.ev_disconnected()
    return None


@case("TC_E_04_CSMS", "Local start transaction - Authorization first - Success", Need.ACCEPTED_TAG)
async def authorization_first(ctx: CaseContext) -> str | None:
    """Handles a session in which the driver is authorized before the EV is connected."""
    token = await ctx.accepted_tag()
    station = await Station201.booted_on(ctx)
    await station.authorized(token)
    await station.ev_connected()
    await station.energy_transfer_started()
    await station.ev_disconnected()
    return None


@case("TC_E_07_CSMS", "Stop transaction options - PowerPathClosed - Local stop", Need.ACCEPTED_TAG)
async def local_stop(ctx: CaseContext) -> str | None:
    """Handles a transaction the driver stopped locally (StopAuthorized, Local)."""
    token = await ctx.accepted_tag()
    station = await Station201.booted_on(ctx)
    await station.authorized(token)
    await station.ev_connected()
    await station.energy_transfer_started()
    await station.event("Ended", "StopAuthorized", stopped_reason="Local", token=token)
    return None


@case("TC_E_09_CSMS", "Start transaction options - EVConnected")
async def start_on_ev_connected(ctx: CaseContext) -> str | None:
    """Handles a transaction started when the EV and EVSE are connected (no idToken yet)."""
    station = await Station201.booted_on(ctx)
    await station.status("Occupied")
    await station.event("Started", "CablePluggedIn", charging_state="EVConnected")
    await station.ev_disconnected()
    return None


@case("TC_E_12_CSMS", "Start transaction options - ParkingBayOccupied")
async def start_on_parking_bay(ctx: CaseContext) -> str | None:
    """Handles a transaction started when the parking bay is occupied (EVDetected)."""
    station = await Station201.booted_on(ctx)
    await station.event("Started", "EVDetected")
    await station.event("Ended", "EVDeparted", stopped_reason="EVDisconnected")
    return None


@case(
    "TC_E_17_CSMS",
    "Stop transaction options - Deauthorized - EV side disconnect",
    Need.ACCEPTED_TAG,
)
async def deauthorized_ev_side(ctx: CaseContext) -> str | None:
    """Handles a transaction ended because the EV side lost its connection (Idle,
    EVDisconnected)."""
    token = await ctx.accepted_tag()
    station = await Station201.booted_on(ctx)
    await station.authorized(token)
    await station.ev_connected()
    await station.energy_transfer_suspended()
    await station.event(
        "Ended", "EVCommunicationLost", charging_state="Idle", stopped_reason="EVDisconnected"
    )
    await station.status("Available")
    return None


@case(
    "TC_E_20_CSMS",
    "Stop transaction options - EVDisconnected - EV side (able to charge IEC 61851-1 EV)",
    Need.ACCEPTED_TAG,
)
async def ev_disconnected_ev_side(ctx: CaseContext) -> str | None:
    """Handles a transaction stopped when the cable is disconnected at the EV side."""
    token = await ctx.accepted_tag()
    station = await Station201.booted_on(ctx)
    await station.authorized(token)
    await station.ev_connected()
    await station.energy_transfer_suspended()
    await station.ev_disconnected()
    return None


@case(
    "TC_E_22_CSMS",
    "Stop transaction options - EnergyTransfer stopped - SuspendedEV",
    Need.ACCEPTED_TAG,
)
async def stop_on_suspended_ev(ctx: CaseContext) -> str | None:
    """Handles a transaction that ends because the EV stopped taking energy."""
    token = await ctx.accepted_tag()
    station = await Station201.booted_on(ctx)
    await station.authorized(token)
    await station.ev_connected()
    await station.energy_transfer_started()
    await station.event(
        "Ended",
        "ChargingStateChanged",
        charging_state="SuspendedEV",
        stopped_reason="StoppedByEV",
    )
    await station.status("Available")
    return None


@case("TC_E_38_CSMS", "Local start transaction - EV not ready", Need.ACCEPTED_TAG)
async def ev_not_ready(ctx: CaseContext) -> str | None:
    """Handles an EV that is connected but not ready to take energy (SuspendedEV)."""
    token = await ctx.accepted_tag()
    station = await Station201.booted_on(ctx)
    await station.authorized(token)
    await station.ev_connected()
    await station.event("Updated", "ChargingStateChanged", charging_state="SuspendedEV")
    await station.ev_disconnected()
    return None


@case("TC_E_39_CSMS", "Stop transaction options - Deauthorized - timeout", Need.ACCEPTED_TAG)
async def deauthorized_timeout(ctx: CaseContext) -> str | None:
    """Handles a transaction ended because no EV was connected in time after authorization."""
    token = await ctx.accepted_tag()
    station = await Station201.booted_on(ctx)
    await station.authorized(token)
    await station.event("Ended", "EVConnectTimeout", stopped_reason="Timeout")
    return None
