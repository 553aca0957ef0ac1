"""Smart charging's V2G discharge on the wire: 2.1's discharging periods, 2.0.1's negative
limit, and never a negative limit to a 1.6 station; 2.1's form is read back as a negative
limit."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from jsonschema.exceptions import best_match
from ocpp.messages import get_validator

from chargeyard.charging_profiles.domain import (
    ChargingProfile,
    Kind,
    Period,
    Purpose,
    RateUnit,
    Schedule,
)
from chargeyard.commands.domain import SetChargingProfile
from chargeyard.protocol.v16 import commands as v16
from chargeyard.protocol.v21 import commands as v21
from chargeyard.protocol.v21.translate import Installed, profile_change
from chargeyard.protocol.v201 import commands as v201
from chargeyard.protocol.wire import to_wire

CALL = 2
START = datetime(2026, 12, 6, 18, 0, tzinfo=UTC)
PROFILE = ChargingProfile(
    id=7,
    purpose=Purpose.TX,
    kind=Kind.ABSOLUTE,
    transaction_id=1,
    schedule=Schedule(
        unit=RateUnit.WATTS,
        start=START,
        duration_s=2700,
        periods=(Period(0, Decimal(4000)), Period(900, Decimal(-5000)), Period(1800, Decimal(0))),
    ),
)
COMMAND = SetChargingProfile(evse_id=1, profile=PROFILE, ocpp_transaction_id="tx-1")


def _wire(renderer: Any, version: str) -> dict[str, Any]:
    payload = renderer.render(COMMAND)
    wire = to_wire(payload)
    error = best_match(get_validator(CALL, "SetChargingProfile", version).iter_errors(wire))
    assert error is None, f"{wire} breaks the schema: {error.message}"
    return wire  # type: ignore[no-any-return]


def _periods(wire: dict[str, Any]) -> list[dict[str, Any]]:
    return wire["chargingProfile"]["chargingSchedule"][0]["chargingSchedulePeriod"]  # type: ignore[no-any-return]


def test_21_renders_a_discharge_as_a_central_setpoint_within_its_discharge_limit() -> None:
    assert _periods(_wire(v21, "2.1")) == [
        {"startPeriod": 0, "limit": 4000},
        {
            "startPeriod": 900,
            "limit": 0,
            "dischargeLimit": -5000,
            "setpoint": -5000,
            "operationMode": "CentralSetpoint",
        },
        {"startPeriod": 1800, "limit": 0},
    ]


def test_21_reads_its_discharge_back_as_a_negative_limit() -> None:
    change = profile_change("SetChargingProfile", _wire(v21, "2.1"), START)
    assert isinstance(change, Installed)
    assert [p.limit for p in change.profile.schedule.periods] == [4000, -5000, 0]


def test_201_sends_the_negative_limit_v2x_firmware_takes() -> None:
    assert [p["limit"] for p in _periods(_wire(v201, "2.0.1"))] == [4000, -5000, 0]


def test_16_never_sends_a_negative_limit() -> None:
    payload = v16.render(SetChargingProfile(evse_id=1, profile=PROFILE, ocpp_transaction_id="7"))
    periods = payload.cs_charging_profiles["charging_schedule"]["charging_schedule_period"]
    assert [p["limit"] for p in periods] == [4000, 0, 0]
