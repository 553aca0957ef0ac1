"""Requested against effective limits: step series in kW and the ranges where they differ;
the stored forms of what is in force."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from chargeyard.charging_profiles.domain import (
    ChargingProfile,
    Kind,
    Period,
    Purpose,
    RateUnit,
    Schedule,
)
from chargeyard.load_management.domain import AC_22KW
from chargeyard.load_management.in_force import (
    fingerprint_of,
    fingerprint_text,
    profile_json,
    profile_of,
)
from chargeyard.load_management.schedule_comparison import (
    Deviation,
    Step,
    deviations,
    effective_steps,
    requested_steps,
)
from chargeyard.schedule_updates.domain import Installed

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)


def _relative(purpose: Purpose, limit: str, unit: RateUnit = RateUnit.WATTS) -> ChargingProfile:
    periods = (Period(0, Decimal(limit), 3 if unit is RateUnit.AMPS else None),)
    return ChargingProfile(
        1, purpose, Kind.RELATIVE, Schedule(unit, periods), stack_level=1, transaction_id=None
    )


def _fleet() -> ChargingProfile:
    """11 kW for 15 minutes, then 7 kW for 15 minutes, then nothing."""
    periods = (Period(0, Decimal(11000)), Period(900, Decimal(7000)))
    schedule = Schedule(RateUnit.WATTS, periods, duration_s=1800, start=NOW)
    return ChargingProfile(2, Purpose.TX, Kind.ABSOLUTE, schedule, stack_level=1, transaction_id=9)


def test_a_session_profile_wins_and_the_default_takes_over_when_its_schedule_ends() -> None:
    installed = [
        Installed(_fleet(), 1, NOW - MIN),
        Installed(_relative(Purpose.TX_DEFAULT, "5000"), 1, NOW - MIN),
    ]
    steps = requested_steps(installed, NOW, NOW + 45 * MIN, AC_22KW)
    assert steps == [Step(NOW, 11.0), Step(NOW + 15 * MIN, 7.0), Step(NOW + 30 * MIN, 5.0)]


def test_amps_convert_with_the_evse_wiring() -> None:
    installed = [Installed(_relative(Purpose.TX, "16", RateUnit.AMPS), 1, NOW)]
    assert requested_steps(installed, NOW, NOW + MIN, AC_22KW) == [Step(NOW, 11.04)]
    assert requested_steps([], NOW, NOW + MIN, AC_22KW) == [Step(NOW, None)]


def test_both_composite_schedule_shapes_are_read() -> None:
    periods = [{"start_period": 0, "limit": 11040.0}, {"start_period": 600, "limit": 7000}]
    v16 = {
        "status": "Accepted",
        "schedule_start": "2026-03-02T08:00:00Z",
        "charging_schedule": {"charging_rate_unit": "W", "charging_schedule_period": periods},
    }
    v2 = {
        "status": "Accepted",
        "schedule": {
            "schedule_start": "2026-03-02T08:00:00+00:00",
            "charging_rate_unit": "A",
            "charging_schedule_period": [{"start_period": 0, "limit": 16, "number_phases": 3}],
        },
    }
    assert effective_steps(v16, NOW - MIN, AC_22KW) == [
        Step(NOW, 11.04),
        Step(NOW + 10 * MIN, 7.0),
    ]
    assert effective_steps(v2, NOW - MIN, AC_22KW) == [Step(NOW, 11.04)]


def test_deviations_are_the_ranges_beyond_the_tolerance() -> None:
    requested = [Step(NOW, 11.0), Step(NOW + 30 * MIN, None)]
    effective = [
        Step(NOW, 11.1),  # within the tolerance: rounding
        Step(NOW + 10 * MIN, 6.0),
        Step(NOW + 15 * MIN, 6.0),
        Step(NOW + 20 * MIN, 11.0),
        Step(NOW + 30 * MIN, 3.0),  # nothing requested then: nothing to compare
    ]
    found = deviations(requested, effective, NOW, NOW + 40 * MIN, 0.25)
    assert found == [Deviation(NOW + 10 * MIN, NOW + 20 * MIN, 11.0, 6.0)]
    assert deviations(requested, effective, NOW, NOW + 40 * MIN, 5.0) == []


def test_what_is_in_force_is_stored_and_read_back_unchanged() -> None:
    for profile in (_fleet(), _relative(Purpose.TX_DEFAULT, "23.1", RateUnit.AMPS)):
        assert profile_of(profile_json(profile)) == profile
    fingerprint = ((11.0, 7.25), NOW, 900, 9)
    assert fingerprint_of(fingerprint_text(fingerprint)) == fingerprint
    assert fingerprint_of(fingerprint_text(((4.5,), None, None, None))) == (
        (4.5,),
        None,
        None,
        None,
    )


def test_an_empty_composite_schedule_is_a_deviation_at_the_evses_maximum() -> None:
    """A station answering with no periods applies nothing: it may draw its maximum."""
    requested = [Step(NOW, 7.0)]
    found = deviations(requested, [], NOW, NOW + 15 * MIN, 0.25, unlimited_kw=22.0)
    assert found == [Deviation(NOW, NOW + 15 * MIN, 7.0, 22.0)]
    effective = [Step(NOW, 7.0), Step(NOW + 5 * MIN, None)]
    later = deviations(requested, effective, NOW, NOW + 15 * MIN, 0.25, unlimited_kw=22.0)
    assert later == [Deviation(NOW + 5 * MIN, NOW + 15 * MIN, 7.0, 22.0)]
