"""OCPP 1.6 OCTT CSMS cases of the Reservation and Firmware Management profiles and the
Security whitepaper's password update, the CSMS made to act through the REST API (as
v16_remote.py explains)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from chargeyard.conformance.case import CaseFailed, Catalog, Need, expect, expect_equal
from chargeyard.conformance.context import CaseContext
from chargeyard.conformance.link import HandshakeRefused
from chargeyard.conformance.v16_states import CONNECTOR, Station16

CATALOG = Catalog("1.6")
case = CATALOG.case


async def _reserve(
    ctx: CaseContext, station: Station16, tag: str, connector_id: int = CONNECTOR
) -> int:
    """Have the CSMS reserve `connector_id` (0: any) for `tag`; the reservation id it sent."""
    expires_at = ctx.clock() + timedelta(hours=1)
    body = {"evse_id": connector_id, "id_tag": tag, "expires_at": expires_at.isoformat()}
    await ctx.command("reserve-now", body)
    request = await station.link.expect("ReserveNow")
    expect_equal(request["connectorId"], connector_id, "ReserveNow.req connectorId")
    expect_equal(request["idTag"], tag, "ReserveNow.req idTag")
    await station.status(CONNECTOR, "Reserved")
    reservation_id = int(request["reservationId"])

    async def cancel() -> None:  # a reservation left behind would hold the connector
        station.link.answers["CancelReservation"] = {"status": "Accepted"}
        await ctx.command("cancel-reservation", {"reservation_id": reservation_id})

    ctx.on_cleanup(cancel)
    return reservation_id


@case("TC_046_CSMS", "Reservation of a Connector - Transaction", Need.API)
async def reservation_transaction(ctx: CaseContext) -> str | None:
    """Reserves the connector for the tag and accepts the transaction that uses it."""
    tag = await ctx.accepted_tag()
    station = await Station16.booted_on(ctx)
    reservation_id = await _reserve(ctx, station, tag)
    transaction_id = await station.charging(tag, reservation_id=reservation_id)
    await station.finish(transaction_id)
    return None


@case("TC_049_CSMS", "Reservation of a Charge Point - Transaction", Need.API)
async def reservation_of_charge_point(ctx: CaseContext) -> str | None:
    """Reserves an unspecified connector (connectorId 0) for the tag and accepts the
    transaction that uses the reservation."""
    tag = await ctx.accepted_tag()
    station = await Station16.booted_on(ctx)
    reservation_id = await _reserve(ctx, station, tag, connector_id=0)
    transaction_id = await station.charging(tag, reservation_id=reservation_id)
    await station.finish(transaction_id)
    return None


@case("TC_051_CSMS", "Cancel Reservation", Need.API)
async def cancel_reservation(ctx: CaseContext) -> str | None:
    """Cancels the reservation it made, naming its reservationId."""
    tag = await ctx.accepted_tag()
    station = await Station16.booted_on(ctx)
    reservation_id = await _reserve(ctx, station, tag)
    status = (await ctx.command("cancel-reservation", {"reservation_id": reservation_id}))["status"]
    request = await station.link.expect("CancelReservation")
    expect_equal(request["reservationId"], reservation_id, "CancelReservation.req reservationId")
    expect_equal(status, "Accepted", "the status the CSMS reports")
    await station.status(CONNECTOR, "Available")
    return None


@case("TC_052_CSMS", "Cancel Reservation - Rejected", Need.API)
async def cancel_reservation_rejected(ctx: CaseContext) -> str | None:
    """Handles a charge point that rejects CancelReservation (and reports it)."""
    tag = await ctx.accepted_tag()
    station = await Station16.booted_on(ctx)
    reservation_id = await _reserve(ctx, station, tag)
    station.link.answers["CancelReservation"] = {"status": "Rejected"}
    answer = await ctx.command("cancel-reservation", {"reservation_id": reservation_id})
    await station.link.expect("CancelReservation")
    expect_equal(answer["status"], "Rejected", "the status the CSMS reports")
    return None


@case("TC_044_2_CSMS", "Firmware Update - Download Failed", Need.API)
async def firmware_download_failed(ctx: CaseContext) -> str | None:
    """Sends UpdateFirmware with the location given, then takes Downloading, DownloadFailed."""
    station = await Station16.booted_on(ctx)
    location = "https://firmware.example.com/octt/charger-2.0.bin"
    await ctx.command("update-firmware", {"location": location})
    request = await station.link.expect("UpdateFirmware")
    expect_equal(request["location"], location, "UpdateFirmware.req location")
    expect(bool(request.get("retrieveDate")), "UpdateFirmware.req has no retrieveDate")
    for status in ("Downloading", "DownloadFailed"):
        await station.link.call("FirmwareStatusNotification", {"status": status})
    return None


@case("TC_044_3_CSMS", "Firmware Update - Installation Failed", Need.API)
async def firmware_installation_failed(ctx: CaseContext) -> str | None:
    """Handles a firmware update whose installation fails after a reboot: the progress, the
    boot in between and the final InstallationFailed."""
    station = await Station16.booted_on(ctx)
    location = "https://firmware.example.com/octt/charger-2.1.bin"
    await ctx.command("update-firmware", {"location": location})
    request = await station.link.expect("UpdateFirmware")
    expect_equal(request["location"], location, "UpdateFirmware.req location")
    for status in ("Downloading", "Downloaded"):
        await station.link.call("FirmwareStatusNotification", {"status": status})
    await station.status(CONNECTOR, "Unavailable")
    await station.link.call("FirmwareStatusNotification", {"status": "Installing"})
    await station.link.close()  # the charge point reboots to install
    rebooted = await Station16.connect(ctx)
    await rebooted.boot()
    await rebooted.status(0, "Available")
    await rebooted.status(CONNECTOR, "Available")
    await rebooted.link.call("FirmwareStatusNotification", {"status": "InstallationFailed"})
    return None


@case("TC_073_CSMS", "Update Charge Point Password for HTTP Basic Authentication", Need.API)
async def update_password(ctx: CaseContext) -> str | None:
    """Sends AuthorizationKey (a 16-20 byte password, hex) and admits the charge point when it
    reconnects with it."""
    new_password = secrets.token_hex(20)
    station = await Station16.booted_on(ctx)
    ctx.on_cleanup(lambda: _restore_password(ctx))
    body = {"key": "AuthorizationKey", "value": new_password}
    status = (await ctx.command("change-configuration", body))["status"]
    request = await station.link.expect("ChangeConfiguration")
    expect_equal(request["key"], "AuthorizationKey", "ChangeConfiguration.req key")
    _check_authorization_key(request["value"])
    expect_equal(status, "Accepted", "the status the CSMS reports")
    await station.link.close()  # the charge point reconnects with the new password
    try:
        again = await ctx.connect(password=request["value"])
    except HandshakeRefused as refused:
        raise CaseFailed(f"the CSMS refused the new password ({refused})") from refused
    await Station16(ctx, again).boot()
    return None


def _check_authorization_key(value: str) -> None:
    expect(len(value) <= 40, f"AuthorizationKey has {len(value)} characters (at most 40)")
    try:
        size = len(bytes.fromhex(value))
    except ValueError:
        size = -1
    # The value is a password: say what is wrong with it, never what it is.
    expect(16 <= size <= 20, "AuthorizationKey is not a 16 to 20 byte password in hexadecimal")


async def _restore_password(ctx: CaseContext) -> None:
    """Give the station its operator's password back, as the OCTT's second change does."""
    if ctx.target.password is not None:
        await ctx.api.set_password(ctx.station_id, ctx.target.password)
