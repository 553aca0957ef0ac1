"""The OCPP 2.x field shapes commands are made of (tokens, EVSEs, components, certificate
hashes, charging profiles), from neutral values, in snake_case with None for "absent"."""

from decimal import Decimal
from typing import Any

from chargeyard.charging_profiles.domain import ChargingProfile, Purpose, ReportedPurpose
from chargeyard.commands.device_management import CertificateHash
from chargeyard.device_model.domain import ComponentRef, VariableRef
from chargeyard.errors import Invalid
from chargeyard.protocol.convert import format_timestamp

DEFAULT_TOKEN_TYPE = "ISO14443"  # what id_tags records when nobody said otherwise
GROUP_TOKEN_TYPE = "Central"  # a parent (group) id is an identifier Chargeyard issues

PURPOSES = {
    Purpose.CHARGE_POINT_MAX: "ChargingStationMaxProfile",
    Purpose.TX_DEFAULT: "TxDefaultProfile",
    Purpose.TX: "TxProfile",
}
REPORTED_PURPOSES = {
    ReportedPurpose.CHARGE_POINT_MAX: "ChargingStationMaxProfile",
    ReportedPurpose.TX_DEFAULT: "TxDefaultProfile",
    ReportedPurpose.TX: "TxProfile",
    ReportedPurpose.EXTERNAL_CONSTRAINTS: "ChargingStationExternalConstraints",
}


def time(value: Any) -> str | None:
    return None if value is None else format_timestamp(value)


def number(value: Decimal) -> float | int:
    """Limits and thresholds with at most one decimal, as the schemas recommend."""
    rounded = round(value, 1)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def required(value: int | None, field: str) -> int:
    if value is None:
        raise Invalid(f"{field} is required for OCPP 2.x")
    return value


def id_token(value: str, token_type: str | None = None) -> dict[str, Any]:
    return {"id_token": value, "type": token_type or DEFAULT_TOKEN_TYPE}


def group_token(parent_id_tag: str | None) -> dict[str, Any] | None:
    return None if parent_id_tag is None else id_token(parent_id_tag, GROUP_TOKEN_TYPE)


def evse(evse_id: int | None, connector_id: int | None = None) -> dict[str, Any] | None:
    """2.x's EVSEType; None (no field) for the station as a whole."""
    if not evse_id:
        if connector_id is not None:
            raise Invalid("connector_id needs the evse_id it belongs to")
        return None
    return {"id": evse_id, "connector_id": connector_id}


def component(ref: ComponentRef) -> dict[str, Any]:
    on = None if ref.evse_id is None else {"id": ref.evse_id, "connector_id": ref.connector_id}
    return {"name": ref.name, "instance": ref.instance, "evse": on}


def variable(ref: VariableRef) -> dict[str, Any]:
    return {"name": ref.name, "instance": ref.instance}


def certificate_hash(value: CertificateHash) -> dict[str, Any]:
    return {
        "hash_algorithm": value.hash_algorithm.value,
        "issuer_name_hash": value.issuer_name_hash,
        "issuer_key_hash": value.issuer_key_hash,
        "serial_number": value.serial_number,
    }


def charging_profile(profile: ChargingProfile, ocpp_transaction_id: str | None) -> dict[str, Any]:
    """A ChargingProfileType: ChargePointMax is ChargingStationMax, the schedule is a list (one
    schedule here, numbered like its profile) and the transaction id is the station's."""
    schedule = profile.schedule
    min_rate = None if schedule.min_rate is None else number(schedule.min_rate)
    return {
        "id": profile.id,
        "stack_level": profile.stack_level,
        "charging_profile_purpose": PURPOSES[profile.purpose],
        "charging_profile_kind": profile.kind.value,
        "recurrency_kind": profile.recurrency.value if profile.recurrency else None,
        "valid_from": time(profile.valid_from),
        "valid_to": time(profile.valid_to),
        "transaction_id": ocpp_transaction_id,
        "charging_schedule": [
            {
                "id": profile.id,
                "start_schedule": time(schedule.start),
                "duration": schedule.duration_s,
                "charging_rate_unit": schedule.unit.value,
                "min_charging_rate": min_rate,
                "charging_schedule_period": [
                    {
                        "start_period": p.start_offset_s,
                        "limit": number(p.limit),
                        "number_phases": p.number_phases,
                    }
                    for p in schedule.periods
                ],
            }
        ],
    }
