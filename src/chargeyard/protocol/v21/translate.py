"""OCPP 2.1 wire shapes to neutral values and back, for the messages 2.1 adds.

Handlers receive payloads in snake_case (the library converts them at the edge); the command log
keeps what went on the wire, in camelCase, which `profile_change` reads.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from chargeyard.certificate_chains.domain import (
    CertificateId,
    CertificateStatus,
    StatusRequest,
    StatusSource,
)
from chargeyard.charging_profiles.domain import (
    ChargingProfile,
    Kind,
    Period,
    RateUnit,
    Recurrency,
    Schedule,
)
from chargeyard.event_streams.domain import StreamBatch, StreamOpening, value_at
from chargeyard.protocol.convert import format_timestamp, parse_timestamp
from chargeyard.protocol.rpc_errors import RpcError
from chargeyard.protocol.v201.shapes import PURPOSES
from chargeyard.schedule_updates.domain import Cleared, Installed, ProfileChange
from chargeyard.settlements.domain import Company, PaymentStatus, Settlement

_PURPOSE_OF = {wire: purpose for purpose, wire in PURPOSES.items()}


def company(address: dict[str, Any] | None) -> Company | None:
    if address is None:
        return None
    return Company(
        name=address["name"],
        address1=address["address1"],
        city=address["city"],
        country=address["country"],
        address2=address.get("address2"),
        postal_code=address.get("postal_code"),
    )


def address(value: Company | None) -> dict[str, Any] | None:
    """AddressType, snake_case (None fields are dropped on the way out)."""
    if value is None:
        return None
    return {
        "name": value.name,
        "address1": value.address1,
        "address2": value.address2,
        "city": value.city,
        "postal_code": value.postal_code,
        "country": value.country,
    }


def settlement(fields: dict[str, Any]) -> Settlement:
    return Settlement(
        psp_ref=fields["psp_ref"],
        status=PaymentStatus(fields["status"]),
        amount=Decimal(str(fields["settlement_amount"])),
        settled_at=parse_timestamp(fields["settlement_time"]),
        ocpp_transaction_id=fields.get("transaction_id"),
        status_info=fields.get("status_info"),
        receipt_id=fields.get("receipt_id"),
        receipt_url=fields.get("receipt_url"),
        vat_number=fields.get("vat_number"),
        vat_company=company(fields.get("vat_company")),
    )


def stream_opening(constant_stream_data: dict[str, Any]) -> StreamOpening:
    params = constant_stream_data["params"]
    return StreamOpening(
        stream_id=constant_stream_data["id"],
        variable_monitoring_id=constant_stream_data["variable_monitoring_id"],
        interval_s=params.get("interval"),
        values=params.get("values"),
    )


def stream_batch(payload: dict[str, Any]) -> StreamBatch:
    """NotifyPeriodicEventStream, as received (camelCase: a SEND bypasses the library)."""
    basetime = parse_timestamp(payload["basetime"])
    return StreamBatch(
        stream_id=payload["id"],
        basetime=basetime,
        pending=payload["pending"],
        values=tuple(value_at(basetime, item["t"], item["v"]) for item in payload["data"]),
    )


def status_requests(requests: list[dict[str, Any]]) -> list[StatusRequest]:
    return [
        StatusRequest(
            source=StatusSource(request["source"]),
            urls=tuple(request["urls"]),
            certificate=CertificateId(**_hash_data(request["certificate_hash_data"])),
        )
        for request in requests
    ]


def _hash_data(data: dict[str, Any]) -> dict[str, str]:
    keys = ("hash_algorithm", "issuer_name_hash", "issuer_key_hash", "serial_number")
    return {key: data[key] for key in keys}


def certificate_status(status: CertificateStatus) -> dict[str, Any]:
    certificate = status.request.certificate
    return {
        "certificate_hash_data": {
            "hash_algorithm": certificate.hash_algorithm,
            "issuer_name_hash": certificate.issuer_name_hash,
            "issuer_key_hash": certificate.issuer_key_hash,
            "serial_number": certificate.serial_number,
        },
        "source": status.request.source.value,
        "status": status.state.value,
        "next_update": format_timestamp(status.next_update),
    }


def profile_change(action: str, wire: dict[str, Any], at: datetime) -> ProfileChange | None:
    """A 2.x SetChargingProfile or ClearChargingProfile from the command log; None for another
    version's payload or a profile Chargeyard cannot express (e.g. 2.1's Dynamic kind)."""
    if action == "ClearChargingProfile":
        criteria = wire.get("chargingProfileCriteria") or {}
        purpose = criteria.get("chargingProfilePurpose")
        return Cleared(
            at=at,
            profile_id=wire.get("chargingProfileId"),
            evse_id=criteria.get("evseId"),
            purpose=None if purpose is None else _PURPOSE_OF.get(purpose),
            stack_level=criteria.get("stackLevel"),
        )
    profile = wire.get("chargingProfile")
    if action != "SetChargingProfile" or not isinstance(profile, dict):
        return None
    try:
        return Installed(_profile(profile), wire.get("evseId", 0), at)
    except (KeyError, ValueError, IndexError, RpcError):
        return None


def _profile(wire: dict[str, Any]) -> ChargingProfile:
    schedule = wire["chargingSchedule"][0]
    recurrency = wire.get("recurrencyKind")
    return ChargingProfile(
        id=wire["id"],
        purpose=_PURPOSE_OF[wire["chargingProfilePurpose"]],
        kind=Kind(wire["chargingProfileKind"]),
        stack_level=wire["stackLevel"],
        recurrency=None if recurrency is None else Recurrency(recurrency),
        valid_from=_time(wire.get("validFrom")),
        valid_to=_time(wire.get("validTo")),
        schedule=Schedule(
            unit=RateUnit(schedule["chargingRateUnit"]),
            duration_s=schedule.get("duration"),
            start=_time(schedule.get("startSchedule")),
            periods=tuple(
                Period(p["startPeriod"], _limit(p), p.get("numberPhases"))
                for p in schedule["chargingSchedulePeriod"]
            ),
        ),
    )


def _limit(period: dict[str, Any]) -> Decimal:
    """A period's limit, negative where it discharges: 2.1's setpoint under CentralSetpoint
    (as `commands.discharging` renders it), else its limit (2.0.1's negative limit kept)."""
    setpoint = period.get("setpoint")
    if period.get("operationMode") == "CentralSetpoint" and setpoint is not None and setpoint < 0:
        return Decimal(str(setpoint))
    return Decimal(str(period["limit"]))


def _time(value: str | None) -> datetime | None:
    return None if value is None else parse_timestamp(value)
