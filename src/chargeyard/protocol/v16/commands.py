"""Neutral commands → OCPP 1.6 CALL payloads, and 1.6 CALLRESULTs → neutral answers.

A 1.6 `connectorId n` is EVSE n and `connectorId 0` the station. Commands 1.6 lacks raise
`CommandNotSupported`; nothing else here knows a REST or storage concept.
"""

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from ocpp.charge_point import remove_nones
from ocpp.v16 import call, datatypes

from chargeyard.charging_profiles.domain import ChargingProfile
from chargeyard.commands import domain as cmd
from chargeyard.protocol.convert import format_timestamp

PROTOCOL = "ocpp1.6"

C = TypeVar("C", bound=cmd.Command)
_RENDERERS: dict[type[cmd.Command], Callable[[Any], Any]] = {}

# 1.6 TriggerMessage knows these; the 2.0.1-only ones are not available.
_TRIGGERS = {
    cmd.TriggerableMessage.BOOT_NOTIFICATION,
    cmd.TriggerableMessage.HEARTBEAT,
    cmd.TriggerableMessage.METER_VALUES,
    cmd.TriggerableMessage.STATUS_NOTIFICATION,
    cmd.TriggerableMessage.FIRMWARE_STATUS_NOTIFICATION,
    cmd.TriggerableMessage.DIAGNOSTICS_STATUS_NOTIFICATION,
}


def _renders(kind: type[C]) -> Callable[[Callable[[C], Any]], Callable[[C], Any]]:
    def register(function: Callable[[C], Any]) -> Callable[[C], Any]:
        _RENDERERS[kind] = function
        return function

    return register


def render(command: cmd.Command) -> Any:
    """The `ocpp.v16.call` payload for `command`."""
    renderer = _RENDERERS.get(type(command))
    if renderer is None:
        raise cmd.CommandNotSupported(command.name, PROTOCOL)
    return renderer(command)


def parse(result: Any) -> cmd.Answer:
    """Every 1.6 CALLRESULT is flat enough to read generically: its status, if it has one."""
    response = _plain(remove_nones(dataclasses.asdict(result)))
    status = response.get("status", cmd.ANSWERED)
    return cmd.Answer(status=str(status), response=response)


def _plain(value: Any) -> Any:
    """JSON-ready: the library reads numbers with fractions as Decimal."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _number(value: Decimal) -> float | int:
    """1.6 schedules allow one decimal."""
    rounded = round(value, 1)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def _time(value: Any) -> str | None:
    return None if value is None else format_timestamp(value)


def charging_profile(profile: ChargingProfile, ocpp_transaction_id: str | None) -> dict[str, Any]:
    schedule = profile.schedule
    rendered = datatypes.ChargingProfile(
        charging_profile_id=profile.id,
        stack_level=profile.stack_level,
        charging_profile_purpose=profile.purpose.value,
        charging_profile_kind=profile.kind.value,
        recurrency_kind=profile.recurrency.value if profile.recurrency else None,
        valid_from=_time(profile.valid_from),
        valid_to=_time(profile.valid_to),
        transaction_id=int(ocpp_transaction_id) if ocpp_transaction_id else None,
        charging_schedule=datatypes.ChargingSchedule(
            charging_rate_unit=schedule.unit.value,
            duration=schedule.duration_s,
            start_schedule=_time(schedule.start),
            min_charging_rate=None if schedule.min_rate is None else _number(schedule.min_rate),
            charging_schedule_period=[
                datatypes.ChargingSchedulePeriod(
                    start_period=p.start_offset_s,
                    # OCPP 1.6 has no discharge: never a negative limit (smart charging
                    # plans none for 1.6 stations, `load_management/discharge.py`).
                    limit=_number(max(p.limit, Decimal(0))),
                    number_phases=p.number_phases,
                )
                for p in schedule.periods
            ],
        ),
    )
    result: dict[str, Any] = remove_nones(dataclasses.asdict(rendered))
    return result


@_renders(cmd.RemoteStart)
def _remote_start(c: cmd.RemoteStart) -> call.RemoteStartTransaction:
    profile = None if c.charging_profile is None else charging_profile(c.charging_profile, None)
    return call.RemoteStartTransaction(
        id_tag=c.id_tag, connector_id=c.evse_id, charging_profile=profile
    )


@_renders(cmd.RemoteStop)
def _remote_stop(c: cmd.RemoteStop) -> call.RemoteStopTransaction:
    return call.RemoteStopTransaction(transaction_id=int(c.ocpp_transaction_id))


@_renders(cmd.Reset)
def _reset(c: cmd.Reset) -> call.Reset:
    if c.evse_id is not None:
        raise cmd.CommandNotSupported(f"{c.name} of one EVSE", PROTOCOL)
    if c.type not in (cmd.ResetType.SOFT, cmd.ResetType.HARD):
        instead = "soft or hard (immediate and on_idle exist only in OCPP 2.x)"
        raise cmd.CommandNotSupported(f"{c.name} {c.type.value}", PROTOCOL, instead)
    return call.Reset(type=c.type.value.capitalize())


@_renders(cmd.UnlockConnector)
def _unlock(c: cmd.UnlockConnector) -> call.UnlockConnector:
    if c.connector_id != 1:
        raise cmd.CommandNotSupported(f"{c.name} of connector {c.connector_id}", PROTOCOL)
    return call.UnlockConnector(connector_id=c.evse_id)


@_renders(cmd.ChangeAvailability)
def _availability(c: cmd.ChangeAvailability) -> call.ChangeAvailability:
    if c.connector_id not in (None, 1):
        raise cmd.CommandNotSupported(f"{c.name} of connector {c.connector_id}", PROTOCOL)
    kind = "Operative" if c.operative else "Inoperative"
    return call.ChangeAvailability(connector_id=c.evse_id, type=kind)


@_renders(cmd.TriggerMessage)
def _trigger(c: cmd.TriggerMessage) -> call.TriggerMessage:
    if c.message not in _TRIGGERS:
        raise cmd.CommandNotSupported(f"{c.name} of {c.message.value}", PROTOCOL)
    return call.TriggerMessage(requested_message=c.message.value, connector_id=c.evse_id)


@_renders(cmd.GetConfiguration)
def _get_configuration(c: cmd.GetConfiguration) -> call.GetConfiguration:
    return call.GetConfiguration(key=list(c.keys) or None)


@_renders(cmd.ChangeConfiguration)
def _change_configuration(c: cmd.ChangeConfiguration) -> call.ChangeConfiguration:
    return call.ChangeConfiguration(key=c.key, value=c.value)


@_renders(cmd.ClearCache)
def _clear_cache(_c: cmd.ClearCache) -> call.ClearCache:
    return call.ClearCache()


@_renders(cmd.DataTransfer)
def _data_transfer(c: cmd.DataTransfer) -> call.DataTransfer:
    return call.DataTransfer(vendor_id=c.vendor_id, message_id=c.message_id, data=c.data)


@_renders(cmd.ReserveNow)
def _reserve_now(c: cmd.ReserveNow) -> call.ReserveNow:
    return call.ReserveNow(
        connector_id=c.evse_id,
        expiry_date=format_timestamp(c.expires_at),
        id_tag=c.id_tag,
        reservation_id=c.reservation_id,
        parent_id_tag=c.parent_id_tag,
    )


@_renders(cmd.CancelReservation)
def _cancel_reservation(c: cmd.CancelReservation) -> call.CancelReservation:
    return call.CancelReservation(reservation_id=c.reservation_id)


def _list_entry(entry: cmd.LocalListEntry) -> dict[str, Any]:
    if entry.status is None:
        return {"id_tag": entry.id_tag}
    info = datatypes.IdTagInfo(
        status=entry.status,
        parent_id_tag=entry.parent_id_tag,
        expiry_date=_time(entry.expires_at),
    )
    return {"id_tag": entry.id_tag, "id_tag_info": remove_nones(dataclasses.asdict(info))}


@_renders(cmd.SendLocalList)
def _send_local_list(c: cmd.SendLocalList) -> call.SendLocalList:
    return call.SendLocalList(
        list_version=c.version,
        update_type=c.update_type.value.capitalize(),
        local_authorization_list=[_list_entry(e) for e in c.entries],
    )


@_renders(cmd.GetLocalListVersion)
def _get_local_list_version(_c: cmd.GetLocalListVersion) -> call.GetLocalListVersion:
    return call.GetLocalListVersion()


@_renders(cmd.UpdateFirmware)
def _update_firmware(c: cmd.UpdateFirmware) -> call.UpdateFirmware:
    return call.UpdateFirmware(
        location=c.location,
        retrieve_date=format_timestamp(c.retrieve_at),
        retries=c.retries,
        retry_interval=c.retry_interval_s,
    )


@_renders(cmd.GetDiagnostics)
def _get_diagnostics(c: cmd.GetDiagnostics) -> call.GetDiagnostics:
    return call.GetDiagnostics(
        location=c.location,
        retries=c.retries,
        retry_interval=c.retry_interval_s,
        start_time=_time(c.start),
        stop_time=_time(c.stop),
    )


@_renders(cmd.SetChargingProfile)
def _set_charging_profile(c: cmd.SetChargingProfile) -> call.SetChargingProfile:
    return call.SetChargingProfile(
        connector_id=c.evse_id,
        cs_charging_profiles=charging_profile(c.profile, c.ocpp_transaction_id),
    )


@_renders(cmd.ClearChargingProfile)
def _clear_charging_profile(c: cmd.ClearChargingProfile) -> call.ClearChargingProfile:
    return call.ClearChargingProfile(
        id=c.profile_id,
        connector_id=c.evse_id,
        charging_profile_purpose=None if c.purpose is None else c.purpose.value,
        stack_level=c.stack_level,
    )


@_renders(cmd.GetCompositeSchedule)
def _get_composite_schedule(c: cmd.GetCompositeSchedule) -> call.GetCompositeSchedule:
    return call.GetCompositeSchedule(
        connector_id=c.evse_id,
        duration=c.duration_s,
        charging_rate_unit=None if c.unit is None else c.unit.value,
    )
