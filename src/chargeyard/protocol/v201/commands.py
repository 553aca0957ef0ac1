"""Neutral commands → OCPP 2.x CALL payloads, and 2.x CALLRESULTs → neutral answers.

Each rendering is an action name and its fields; `Renderer` builds the payload from the call
module of its version, so 2.0.1 and 2.1 (v21/commands.py) share every rendering. Chargeyard's
EVSE numbers are 2.x EVSE ids; `evse_id` 0 is the station (no `evse` field). Tokens carry the
type the organization recorded for the ID tag. 1.6 commands without a 2.x counterpart raise
`CommandNotSupported`, naming the 2.x command to use instead.
"""

from collections.abc import Callable
from types import ModuleType
from typing import Any, TypeVar

from ocpp.v201 import call

from chargeyard.commands import device_management as dm
from chargeyard.commands import domain as cmd
from chargeyard.protocol.convert import format_timestamp

# Reading a CALLRESULT is version-free: its status, if it has one, and the whole response.
from chargeyard.protocol.v16.commands import parse as parse_result
from chargeyard.protocol.v201 import device_commands, shapes

PROTOCOL = "ocpp2.0.1"

Rendering = tuple[str, dict[str, Any]]
C = TypeVar("C", bound=cmd.Command)
_RENDERINGS: dict[type[cmd.Command], Callable[[Any], Rendering]] = dict(device_commands.RENDERINGS)

_RESETS = {
    cmd.ResetType.SOFT: "OnIdle",
    cmd.ResetType.ON_IDLE: "OnIdle",
    cmd.ResetType.HARD: "Immediate",
    cmd.ResetType.IMMEDIATE: "Immediate",
}
_NOT_IN_2X = {cmd.TriggerableMessage.DIAGNOSTICS_STATUS_NOTIFICATION: "LogStatusNotification"}
_ITEM_STATUSES = {
    "get_variable_result": "attribute_status",
    "set_variable_result": "attribute_status",
    "set_monitoring_result": "status",
    "clear_monitoring_result": "status",
}
_INSTEAD = {
    cmd.GetConfiguration: "get-variables",
    cmd.ChangeConfiguration: "set-variables",
}


class _Unsupported(Exception):
    """A rendering the version has no form for; `Renderer` names the protocol."""

    def __init__(self, what: str, instead: str | None = None) -> None:
        super().__init__(what)
        self.what, self.instead = what, instead


class Renderer:
    """`render` and `parse` for one 2.x version, whose `call` module builds the payloads."""

    def __init__(self, protocol: str, calls: ModuleType) -> None:
        self.protocol = protocol
        self.calls = calls

    def render(self, command: cmd.Command) -> Any:
        rendering = _RENDERINGS.get(type(command))
        if rendering is None:
            instead = _INSTEAD.get(type(command))
            raise cmd.CommandNotSupported(command.name, self.protocol, instead)
        try:
            action, fields = rendering(command)
        except _Unsupported as missing:
            raise cmd.CommandNotSupported(missing.what, self.protocol, missing.instead) from None
        return getattr(self.calls, action)(**fields)

    def parse(self, result: Any) -> cmd.Answer:
        """A result listing per-item outcomes (variables, monitors) reads as Accepted only when
        every item was: otherwise as the first item's status that was not."""
        answer = parse_result(result)
        for field, status_field in _ITEM_STATUSES.items():
            items = answer.response.get(field)
            if "status" not in answer.response and isinstance(items, list):
                statuses = [str(item.get(status_field)) for item in items]
                failed = [status for status in statuses if status != cmd.ANSWERED]
                return cmd.Answer(failed[0] if failed else cmd.ANSWERED, answer.response)
        return answer


_V201 = Renderer(PROTOCOL, call)
render = _V201.render
parse = _V201.parse


def _renders(kind: type[C]) -> Callable[[Callable[[C], Rendering]], Callable[[C], Rendering]]:
    def register(function: Callable[[C], Rendering]) -> Callable[[C], Rendering]:
        _RENDERINGS[kind] = function
        return function

    return register


# --- commands both protocol generations know ----------------------------------------------------


@_renders(cmd.RemoteStart)
def _remote_start(c: cmd.RemoteStart) -> Rendering:
    profile = (
        None if c.charging_profile is None else shapes.charging_profile(c.charging_profile, None)
    )
    return "RequestStartTransaction", {
        "id_token": shapes.id_token(c.id_tag, c.token_type),
        "remote_start_id": shapes.required(c.remote_start_id, "remote_start_id"),
        "evse_id": c.evse_id,
        "charging_profile": profile,
    }


@_renders(cmd.RemoteStop)
def _remote_stop(c: cmd.RemoteStop) -> Rendering:
    return "RequestStopTransaction", {"transaction_id": c.ocpp_transaction_id}


@_renders(cmd.Reset)
def _reset(c: cmd.Reset) -> Rendering:
    return "Reset", {"type": _RESETS[c.type], "evse_id": c.evse_id}


@_renders(cmd.UnlockConnector)
def _unlock(c: cmd.UnlockConnector) -> Rendering:
    return "UnlockConnector", {"evse_id": c.evse_id, "connector_id": c.connector_id}


@_renders(cmd.ChangeAvailability)
def _availability(c: cmd.ChangeAvailability) -> Rendering:
    return "ChangeAvailability", {
        "operational_status": "Operative" if c.operative else "Inoperative",
        "evse": shapes.evse(c.evse_id, c.connector_id),
    }


@_renders(cmd.TriggerMessage)
def _trigger(c: cmd.TriggerMessage) -> Rendering:
    if c.message in _NOT_IN_2X:
        raise _Unsupported(f"{c.name} of {c.message.value}", _NOT_IN_2X[c.message])
    return "TriggerMessage", {"requested_message": c.message.value, "evse": shapes.evse(c.evse_id)}


@_renders(cmd.ClearCache)
def _clear_cache(_c: cmd.ClearCache) -> Rendering:
    return "ClearCache", {}


@_renders(cmd.DataTransfer)
def _data_transfer(c: cmd.DataTransfer) -> Rendering:
    return "DataTransfer", {"vendor_id": c.vendor_id, "message_id": c.message_id, "data": c.data}


@_renders(cmd.ReserveNow)
def _reserve_now(c: cmd.ReserveNow) -> Rendering:
    return "ReserveNow", {
        "id": c.reservation_id,
        "expiry_date_time": format_timestamp(c.expires_at),
        "id_token": shapes.id_token(c.id_tag, c.token_type),
        "evse_id": c.evse_id or None,
        "group_id_token": shapes.group_token(c.parent_id_tag),
    }


@_renders(cmd.CancelReservation)
def _cancel_reservation(c: cmd.CancelReservation) -> Rendering:
    return "CancelReservation", {"reservation_id": c.reservation_id}


def _list_entry(entry: cmd.LocalListEntry) -> dict[str, Any]:
    """An entry without a status removes the token (differential updates)."""
    info = None
    if entry.status is not None:
        info = {
            "status": entry.status,
            "cache_expiry_date_time": shapes.time(entry.expires_at),
            "group_id_token": shapes.group_token(entry.parent_id_tag),
        }
    return {"id_token": shapes.id_token(entry.id_tag, entry.token_type), "id_token_info": info}


@_renders(cmd.SendLocalList)
def _send_local_list(c: cmd.SendLocalList) -> Rendering:
    return "SendLocalList", {
        "version_number": c.version,
        "update_type": c.update_type.value.capitalize(),
        "local_authorization_list": [_list_entry(e) for e in c.entries] or None,
    }


@_renders(cmd.GetLocalListVersion)
def _get_local_list_version(_c: cmd.GetLocalListVersion) -> Rendering:
    return "GetLocalListVersion", {}


def _firmware_update(
    request_id: int | None,
    firmware: dict[str, Any],
    retries: int | None,
    retry_interval_s: int | None,
) -> Rendering:
    return "UpdateFirmware", {
        "request_id": shapes.required(request_id, "request_id"),
        "firmware": firmware,
        "retries": retries,
        "retry_interval": retry_interval_s,
    }


@_renders(cmd.UpdateFirmware)
def _update_firmware(c: cmd.UpdateFirmware) -> Rendering:
    firmware = {"location": c.location, "retrieve_date_time": format_timestamp(c.retrieve_at)}
    return _firmware_update(c.request_id, firmware, c.retries, c.retry_interval_s)


@_renders(dm.SignedUpdateFirmware)
def _signed_update_firmware(c: dm.SignedUpdateFirmware) -> Rendering:
    firmware = {
        "location": c.location,
        "retrieve_date_time": format_timestamp(c.retrieve_at),
        "install_date_time": shapes.time(c.install_at),
        "signing_certificate": c.signing_certificate,
        "signature": c.signature,
    }
    return _firmware_update(c.request_id, firmware, c.retries, c.retry_interval_s)


def _log_request(c: cmd.GetDiagnostics | dm.GetLog, log_type: dm.LogType) -> Rendering:
    return "GetLog", {
        "log": {
            "remote_location": c.location,
            "oldest_timestamp": shapes.time(c.start),
            "latest_timestamp": shapes.time(c.stop),
        },
        "log_type": log_type.value,
        "request_id": shapes.required(c.request_id, "request_id"),
        "retries": c.retries,
        "retry_interval": c.retry_interval_s,
    }


@_renders(cmd.GetDiagnostics)
def _get_diagnostics(c: cmd.GetDiagnostics) -> Rendering:
    return _log_request(c, dm.LogType.DIAGNOSTICS)


@_renders(dm.GetLog)
def _get_log(c: dm.GetLog) -> Rendering:
    return _log_request(c, c.log_type)


@_renders(cmd.SetChargingProfile)
def _set_charging_profile(c: cmd.SetChargingProfile) -> Rendering:
    return "SetChargingProfile", {
        "evse_id": c.evse_id,
        "charging_profile": shapes.charging_profile(c.profile, c.ocpp_transaction_id),
    }


@_renders(cmd.ClearChargingProfile)
def _clear_charging_profile(c: cmd.ClearChargingProfile) -> Rendering:
    criteria = {
        "evse_id": c.evse_id,
        "charging_profile_purpose": None if c.purpose is None else shapes.PURPOSES[c.purpose],
        "stack_level": c.stack_level,
    }
    named = any(value is not None for value in criteria.values())
    return "ClearChargingProfile", {
        "charging_profile_id": c.profile_id,
        "charging_profile_criteria": criteria if named else None,
    }


@_renders(cmd.GetCompositeSchedule)
def _get_composite_schedule(c: cmd.GetCompositeSchedule) -> Rendering:
    return "GetCompositeSchedule", {
        "duration": c.duration_s,
        "evse_id": c.evse_id,
        "charging_rate_unit": None if c.unit is None else c.unit.value,
    }


@_renders(dm.GetChargingProfiles)
def _get_charging_profiles(c: dm.GetChargingProfiles) -> Rendering:
    criterion = {
        "charging_profile_purpose": None
        if c.purpose is None
        else shapes.REPORTED_PURPOSES[c.purpose],
        "stack_level": c.stack_level,
        "charging_profile_id": list(c.profile_ids) or None,
    }
    return "GetChargingProfiles", {
        "request_id": c.request_id,
        "evse_id": c.evse_id,
        "charging_profile": criterion,
    }
