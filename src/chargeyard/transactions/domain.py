"""Transaction values and rules, protocol-free.

Energy is integer Wh throughout. Meter samples arrive in whatever unit the station uses; the
register value is normalized to Wh here, once, for every protocol.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

ENERGY_REGISTER = "Energy.Active.Import.Register"
POWER = "Power.Active.Import"
SOC = "SoC"

_WH_PER_UNIT = {"Wh": Decimal(1), "kWh": Decimal(1000), None: Decimal(1)}
_W_PER_UNIT = {"W": Decimal(1), "kW": Decimal(1000), None: Decimal(1)}


@dataclass(frozen=True)
class Sample:
    """One sampled value, exactly as the station sent it."""

    measurand: str
    value: str
    unit: str | None = None
    phase: str | None = None
    context: str | None = None
    location: str | None = None
    format: str | None = None

    @property
    def number(self) -> float | None:
        if self.format == "SignedData":
            return None
        try:
            return float(Decimal(self.value))
        except (InvalidOperation, ValueError):
            return None


@dataclass(frozen=True)
class MeterReading:
    """All samples a station took at one instant."""

    timestamp: datetime
    samples: tuple[Sample, ...]


@dataclass(frozen=True)
class StartRequest:
    evse_id: int
    connector_id: int
    id_tag: str | None
    meter_start_wh: int
    timestamp: datetime
    reservation_id: int | None = None
    ocpp_transaction_id: str | None = None


@dataclass(frozen=True)
class StopRequest:
    meter_stop_wh: int | None
    timestamp: datetime
    reason: str | None = None
    id_tag: str | None = None
    readings: tuple[MeterReading, ...] = field(default=())


def register_wh(sample: Sample) -> int | None:
    """The energy register in Wh, or None when the sample is not a readable energy register."""
    if sample.measurand != ENERGY_REGISTER or sample.phase is not None:
        return None
    scale = _WH_PER_UNIT.get(sample.unit)
    number = sample.number
    if scale is None or number is None:
        return None
    return int((Decimal(str(number)) * scale).to_integral_value())


def power_w(sample: Sample) -> float | None:
    if sample.measurand != POWER or sample.phase is not None:
        return None
    scale = _W_PER_UNIT.get(sample.unit)
    number = sample.number
    return None if scale is None or number is None else number * float(scale)


def energy_wh(meter_start_wh: int, meter_stop_wh: int | None) -> int | None:
    """Delivered energy; a meter that went backwards (replaced, reset) counts as zero, not negative."""
    if meter_stop_wh is None:
        return None
    return max(0, meter_stop_wh - meter_start_wh)


def is_retry(
    existing_id_tag: str | None,
    existing_meter_start: int,
    existing_started_at: datetime,
    request: StartRequest,
) -> bool:
    """A start identical to a recorded one is the station retrying, not a new session."""
    return (
        existing_id_tag == request.id_tag
        and existing_meter_start == request.meter_start_wh
        and existing_started_at == request.timestamp
    )
