"""OCPP 1.6 ↔ domain values: statuses, ID tag info, meter readings."""

from typing import Any

from ocpp.v16 import datatypes

from chargeyard.id_tags.domain import Authorization, AuthorizationStatus
from chargeyard.protocol.convert import format_timestamp, parse_timestamp
from chargeyard.stations.domain import ConnectorStatus
from chargeyard.transactions.domain import MeterReading, Sample

CONNECTOR_STATUS = {
    "Available": ConnectorStatus.AVAILABLE,
    "Preparing": ConnectorStatus.OCCUPIED,
    "Charging": ConnectorStatus.OCCUPIED,
    "SuspendedEVSE": ConnectorStatus.OCCUPIED,
    "SuspendedEV": ConnectorStatus.OCCUPIED,
    "Finishing": ConnectorStatus.OCCUPIED,
    "Reserved": ConnectorStatus.RESERVED,
    "Unavailable": ConnectorStatus.UNAVAILABLE,
    "Faulted": ConnectorStatus.FAULTED,
}

_V16_AUTH = {"Accepted", "Blocked", "Expired", "Invalid", "ConcurrentTx"}


def id_tag_info(authorization: Authorization) -> datatypes.IdTagInfo:
    """1.6 knows five statuses; the 2.0.1-only refusals all read as Invalid to a 1.6 station."""
    status = authorization.status.value
    return datatypes.IdTagInfo(
        status=status if status in _V16_AUTH else AuthorizationStatus.INVALID.value,
        parent_id_tag=authorization.parent_id_tag,
        expiry_date=(
            format_timestamp(authorization.expires_at) if authorization.expires_at else None
        ),
    )


def meter_readings(meter_value: list[dict[str, Any]]) -> tuple[MeterReading, ...]:
    """1.6 MeterValue elements; a sample without a measurand is the energy register (spec default)."""
    return tuple(
        MeterReading(
            timestamp=parse_timestamp(item["timestamp"]),
            samples=tuple(
                Sample(
                    measurand=sample.get("measurand", "Energy.Active.Import.Register"),
                    value=sample["value"],
                    unit=sample.get("unit", "Wh"),
                    phase=sample.get("phase"),
                    context=sample.get("context", "Sample.Periodic"),
                    location=sample.get("location", "Outlet"),
                    format=sample.get("format", "Raw"),
                )
                for sample in item["sampled_value"]
            ),
        )
        for item in meter_value
    )
