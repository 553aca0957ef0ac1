"""Transaction values and rules, protocol-free.

Energy is integer Wh throughout. Meter samples arrive in whatever unit the station uses; the
register value is normalized to Wh here, once, for every protocol.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

ENERGY_REGISTER = "Energy.Active.Import.Register"
POWER = "Power.Active.Import"
SOC = "SoC"
BEGIN = "Transaction.Begin"
END = "Transaction.End"

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
        """The value as a finite number; signed data, text, NaN and infinities have none (SQLite
        would store NaN as NULL and PostgreSQL keep it, so both get None)."""
        if self.format == "SignedData":
            return None
        try:
            number = float(Decimal(self.value))
        except (InvalidOperation, ValueError):
            return None
        return number if math.isfinite(number) else None


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


class TransactionEventType(StrEnum):
    STARTED = "Started"
    UPDATED = "Updated"
    ENDED = "Ended"


@dataclass(frozen=True)
class TransactionEventReport:
    """One event of a station-issued transaction (the 2.0.1 model), protocol-free.

    Stations queue events while offline and replay them later, so events arrive late, twice,
    or out of order; `seq_no` identifies an event within its transaction.
    """

    ocpp_transaction_id: str
    event_type: TransactionEventType
    seq_no: int
    timestamp: datetime
    trigger_reason: str
    evse_id: int | None = None
    connector_id: int | None = None
    id_tag: str | None = None
    offline: bool = False
    readings: tuple[MeterReading, ...] = field(default=())
    stopped_reason: str | None = None
    charging_state: str | None = None
    reservation_id: int | None = None
    remote_start_id: int | None = None


def _registers(
    readings: tuple[MeterReading, ...], context: str | None = None
) -> list[tuple[datetime, int]]:
    """(timestamp, Wh) of every energy register, of one reading context if given."""
    found = []
    for reading in readings:
        for sample in reading.samples:
            wh = register_wh(sample)
            if wh is not None and context in (None, sample.context or "Sample.Periodic"):
                found.append((reading.timestamp, wh))
    return found


def begin_register_wh(readings: tuple[MeterReading, ...]) -> int | None:
    """The meter at the start: the Transaction.Begin register, else the earliest register."""
    found = _registers(readings, BEGIN) or _registers(readings)
    return min(found)[1] if found else None


def end_register_wh(readings: tuple[MeterReading, ...]) -> int | None:
    """The meter at the end: the Transaction.End register, else the latest register."""
    found = _registers(readings, END) or _registers(readings)
    return max(found)[1] if found else None


@dataclass(frozen=True)
class Latest:
    """What a session's newest reading says: its time, and the register, power and state of
    charge it carries (None: not in that reading, the stored value stays)."""

    at: datetime
    meter_wh: int | None
    power_w: float | None
    soc: float | None


def latest_of(readings: Sequence[MeterReading]) -> Latest:
    """The newest of `readings` (at least one), as the session's live values."""
    latest = max(readings, key=lambda r: r.timestamp)
    meter = power = soc = None
    for sample in latest.samples:
        if (wh := register_wh(sample)) is not None:
            meter = wh
        elif (w := power_w(sample)) is not None:
            power = w
        elif sample.measurand == SOC and sample.number is not None:
            soc = sample.number
    return Latest(latest.timestamp, meter, power, soc)
