"""What smart charging holds in force at the stations, as values: a `Held` target (what a
station accepted, with the profile that put it there) and the stored forms of both (a profile
as JSON, a target's fingerprint as text), so delivery's memory survives a restart. Pure.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from chargeyard.charging_profiles.domain import (
    ChargingProfile,
    Kind,
    Period,
    Purpose,
    RateUnit,
    Recurrency,
    Schedule,
)

Fingerprint = tuple[object, ...]
"""`load_management.domain.Target.fingerprint()`: (limits, start, slot_s, transaction_id)."""


@dataclass(frozen=True)
class Held:
    """A target a station accepted at `since`, through `profile` (in the unit that worked)."""

    fingerprint: Fingerprint
    first_kw: float
    since: datetime
    profile: ChargingProfile


def stacked(
    session_kw: float | None, evse_kw: float | None, station_kw: float | None
) -> float | None:
    """The limit in force for a session, as OCPP stacks what smart charging sends: its own
    TxProfile once its station accepted one, else its EVSE's TxDefaultProfile, else the
    station-wide one (EVSE 0); None when it has none of them."""
    for found in (session_kw, evse_kw, station_kw):
        if found is not None:
            return found
    return None


def fingerprint_text(fingerprint: Fingerprint) -> str:
    limits, start, slot_s, transaction_id = fingerprint
    assert isinstance(limits, tuple) and (start is None or isinstance(start, datetime))
    when = None if start is None else start.isoformat()
    return json.dumps([list(limits), when, slot_s, transaction_id])


def fingerprint_of(text: str) -> Fingerprint:
    limits, when, slot_s, transaction_id = json.loads(text)
    start = None if when is None else datetime.fromisoformat(when)
    return (tuple(float(v) for v in limits), start, slot_s, transaction_id)


def profile_json(profile: ChargingProfile) -> dict[str, Any]:
    schedule = profile.schedule
    return {
        "id": profile.id,
        "purpose": profile.purpose.value,
        "kind": profile.kind.value,
        "stack_level": profile.stack_level,
        "transaction_id": profile.transaction_id,
        "recurrency": None if profile.recurrency is None else profile.recurrency.value,
        "valid_from": _text(profile.valid_from),
        "valid_to": _text(profile.valid_to),
        "schedule": {
            "unit": schedule.unit.value,
            "duration_s": schedule.duration_s,
            "start": _text(schedule.start),
            "min_rate": None if schedule.min_rate is None else str(schedule.min_rate),
            "periods": [
                [p.start_offset_s, str(p.limit), p.number_phases] for p in schedule.periods
            ],
        },
    }


def profile_of(data: dict[str, Any]) -> ChargingProfile:
    schedule = data["schedule"]
    return ChargingProfile(
        id=int(data["id"]),
        purpose=Purpose(data["purpose"]),
        kind=Kind(data["kind"]),
        stack_level=int(data["stack_level"]),
        transaction_id=data.get("transaction_id"),
        recurrency=None if data.get("recurrency") is None else Recurrency(data["recurrency"]),
        valid_from=_time(data.get("valid_from")),
        valid_to=_time(data.get("valid_to")),
        schedule=Schedule(
            unit=RateUnit(schedule["unit"]),
            periods=tuple(
                Period(int(offset), Decimal(limit), phases)
                for offset, limit, phases in schedule["periods"]
            ),
            duration_s=schedule.get("duration_s"),
            start=_time(schedule.get("start")),
            min_rate=None if schedule.get("min_rate") is None else Decimal(schedule["min_rate"]),
        ),
    )


def _text(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)
