"""OCPP 1.6 ↔ domain values: statuses, ID tag info, meter readings."""

from typing import Any, TypeVar

from ocpp.v16 import datatypes

from chargeyard.id_tags.domain import Authorization, AuthorizationStatus
from chargeyard.protocol.convert import format_timestamp, parse_timestamp
from chargeyard.protocol.rpc_errors import Kind, RpcError
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

# The 1.6 schemas bound no integer; the database does (EVSE ids 32-bit, meters 64-bit).
_MAX_EVSE_ID = 2**31 - 1
_INT64 = 2**63
_Int = TypeVar("_Int", bound=int | None)


def evse_id(connector_id: int, *, station_allowed: bool) -> int:
    """The EVSE a 1.6 `connectorId` names; 0 is the station itself where a message allows it."""
    lowest = 0 if station_allowed else 1
    if not lowest <= connector_id <= _MAX_EVSE_ID:
        raise RpcError(Kind.PROPERTY, f"connectorId must be {lowest} to {_MAX_EVSE_ID}")
    return connector_id


def bounded(value: _Int, name: str) -> _Int:
    """A meter reading or id that fits the 64-bit columns it is stored in."""
    if value is not None and not -_INT64 <= value < _INT64:
        raise RpcError(Kind.PROPERTY, f"{name} does not fit in 64 bits")
    return value


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
