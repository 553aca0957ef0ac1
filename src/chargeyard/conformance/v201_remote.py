"""OCPP 2.0.1 OCTT CSMS cases in which the CSMS acts (B. Provisioning reset, C. Authorization
cache, E/F remote start and stop, N. customer information), triggered through Chargeyard's
REST API as a tester would trigger them in the CSMS's UI."""

from __future__ import annotations

from chargeyard.conformance.case import CaseFailed, Catalog, Need, expect_equal, field
from chargeyard.conformance.context import CaseContext
from chargeyard.conformance.v201_states import EVSE, TOKEN_TYPE, Station201

CATALOG = Catalog("2.0.1")
case = CATALOG.case


@case("TC_B_25_CSMS", "Reset EVSE - Without ongoing transaction", Need.API)
async def reset_evse(ctx: CaseContext) -> str | None:
    """Sends ResetRequest OnIdle for one EVSE."""
    station = await Station201.booted_on(ctx)
    await ctx.command("reset", {"type": "on_idle", "evse_id": EVSE})
    request = await station.link.expect("Reset")
    expect_equal(request["type"], "OnIdle", "ResetRequest type")
    expect_equal(request.get("evseId"), EVSE, "ResetRequest evseId")
    return None


@case("TC_C_37_CSMS", "Clear Authorization Data in Authorization Cache - Accepted", Need.API)
async def clear_cache_accepted(ctx: CaseContext) -> str | None:
    """Sends ClearCacheRequest and takes the station's acceptance."""
    station = await Station201.booted_on(ctx)
    answer = await ctx.command("clear-cache")
    await station.link.expect("ClearCache")
    expect_equal(answer.get("status"), "Accepted", "the status the CSMS reports")
    return None


@case("TC_C_38_CSMS", "Clear Authorization Data in Authorization Cache - Rejected", Need.API)
async def clear_cache_rejected(ctx: CaseContext) -> str | None:
    """Handles a station that rejects ClearCacheRequest (and reports it)."""
    station = await Station201.booted_on(ctx)
    station.link.answers["ClearCache"] = {"status": "Rejected"}
    answer = await ctx.command("clear-cache")
    await station.link.expect("ClearCache")
    expect_equal(answer.get("status"), "Rejected", "the status the CSMS reports")
    return None


@case("TC_F_01_CSMS", "Remote start transaction - Cable plugin first", Need.API)
async def remote_start_cable_first(ctx: CaseContext) -> str | None:
    """Sends RequestStartTransaction for the idToken, then handles the session it starts."""
    token = await ctx.accepted_tag()
    station = await Station201.booted_on(ctx)
    await station.ev_connected()
    station.link.answers["RequestStartTransaction"] = {
        "status": "Accepted",
        "transactionId": station.transaction_id,
    }
    await ctx.command("remote-start", {"id_tag": token, "evse_id": EVSE})
    request = await station.link.expect("RequestStartTransaction")
    expect_equal(field(request, "idToken.idToken"), token, "RequestStartTransaction idToken")
    expect_equal(field(request, "idToken.type"), TOKEN_TYPE, "RequestStartTransaction type")
    await station.event(
        "Updated", "RemoteStart", token=token, remote_start_id=request["remoteStartId"]
    )
    await station.energy_transfer_started()
    await station.ev_disconnected()
    return None


@case("TC_E_21_CSMS", "Stop transaction options - StopAuthorized - Remote", Need.API)
async def remote_stop(ctx: CaseContext) -> str | None:
    """Sends RequestStopTransaction for the station's transaction and takes its Remote end."""
    token = await ctx.accepted_tag()
    station = await Station201.booted_on(ctx)
    await station.authorized(token)
    await station.ev_connected()
    await station.energy_transfer_started()
    transaction_id = await _api_transaction_id(ctx, station)
    await ctx.command("remote-stop", {"transaction_id": transaction_id})
    request = await station.link.expect("RequestStopTransaction")
    expect_equal(request["transactionId"], station.transaction_id, "its transactionId")
    await station.event("Ended", "RemoteStop", stopped_reason="Remote")
    await station.status("Available")
    return None


async def _api_transaction_id(ctx: CaseContext, station: Station201) -> int:
    """The id the CSMS's API gives the station's running transaction (what an operator picks
    in the CSMS to stop it)."""
    listed = await ctx.api.transactions(ctx.station_id)
    for item in listed:
        if item.get("ocpp_transaction_id") == station.transaction_id:
            return int(item["id"])
    raise CaseFailed(f"the CSMS lists no transaction {station.transaction_id}")


@case("TC_N_32_CSMS", "Clear Customer Information - Clear and no report", Need.API)
async def clear_customer_information(ctx: CaseContext) -> str | None:
    """Asks the station to clear, without a report, what it holds about an idToken."""
    token = await ctx.accepted_tag()
    station = await Station201.booted_on(ctx)
    await ctx.command("customer-information", {"report": False, "clear": True, "id_tag": token})
    request = await station.link.expect("CustomerInformation")
    expect_equal(request["report"], False, "CustomerInformationRequest report")
    expect_equal(request["clear"], True, "CustomerInformationRequest clear")
    expect_equal(field(request, "idToken.idToken"), token, "CustomerInformationRequest idToken")
    expect_equal(field(request, "idToken.type"), TOKEN_TYPE, "its idToken.type")
    return None
