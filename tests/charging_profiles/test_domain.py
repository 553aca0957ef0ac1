"""Profile rules and power limit → profile conversion, as pure functions."""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

from chargeyard.charging_profiles.domain import (
    Capability,
    ChargingProfile,
    Kind,
    LimitUnit,
    Period,
    PowerLimit,
    Purpose,
    RateUnit,
    Recurrency,
    Schedule,
    Target,
    power_limit_id,
    power_limit_problems,
    power_limit_profile,
    problems,
)

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
SCHEDULE = Schedule(RateUnit.AMPS, (Period(0, Decimal(16)), Period(600, Decimal(8))))
PROFILE = ChargingProfile(id=1, purpose=Purpose.TX_DEFAULT, kind=Kind.RELATIVE, schedule=SCHEDULE)
EVSE_1 = Target(evse_id=1)


def test_a_good_profile_has_no_problems() -> None:
    assert problems(PROFILE, EVSE_1) == []


def test_stack_level_and_id() -> None:
    found = problems(replace(PROFILE, stack_level=-1, id=0), EVSE_1)
    assert found == ["stack_level must be 0 or more", "id must be a positive integer"]


def test_periods_start_at_zero_ascend_and_are_positive() -> None:
    periods = (Period(10, Decimal(16)), Period(10, Decimal(0)), Period(5, Decimal(-1)))
    found = problems(replace(PROFILE, schedule=replace(SCHEDULE, periods=periods)), EVSE_1)
    assert "the first period must start at 0" in found
    assert "period start offsets must strictly ascend" in found
    assert "periods[1].limit must be greater than 0" in found
    assert "periods[2].limit must be greater than 0" in found
    empty = replace(PROFILE, schedule=replace(SCHEDULE, periods=()))
    assert problems(empty, EVSE_1) == ["schedule.periods must hold at least one period"]


def test_limits_within_capability_in_the_schedule_unit() -> None:
    target = Target(evse_id=1, capability=Capability(max_current_a=Decimal(10)))
    assert problems(PROFILE, target) == ["periods[0].limit 16 A exceeds the EVSE's 10"]
    watts = replace(PROFILE, schedule=replace(SCHEDULE, unit=RateUnit.WATTS))
    assert problems(watts, target) == []


def test_recurring_needs_recurrency_and_start() -> None:
    recurring = replace(PROFILE, kind=Kind.RECURRING)
    assert problems(recurring, EVSE_1) == [
        "a Recurring profile needs recurrency (Daily/Weekly)",
        "a Recurring profile needs schedule.start",
    ]
    fixed = replace(recurring, recurrency=Recurrency.DAILY, schedule=replace(SCHEDULE, start=NOW))
    assert problems(fixed, EVSE_1) == []
    assert problems(replace(PROFILE, recurrency=Recurrency.DAILY), EVSE_1) == [
        "recurrency is only for Recurring profiles"
    ]


def test_purposes() -> None:
    station_max = replace(PROFILE, purpose=Purpose.CHARGE_POINT_MAX, kind=Kind.ABSOLUTE)
    assert problems(station_max, Target(evse_id=0)) == []
    assert problems(station_max, EVSE_1) == [
        "a ChargePointMaxProfile applies to the whole station: use evse_id 0"
    ]
    tx = replace(PROFILE, purpose=Purpose.TX)
    assert problems(tx, EVSE_1) == ["a TxProfile needs transaction_id"]
    tx = replace(tx, transaction_id=7)
    assert problems(tx, EVSE_1) == ["transaction 7 is not active on this station"]
    assert problems(tx, Target(evse_id=1, transaction_evse=1)) == []
    assert problems(tx, Target(evse_id=2, transaction_evse=1)) == ["transaction 7 runs on EVSE 1"]
    assert problems(tx, Target(evse_id=1, for_remote_start=True)) == [
        "a remote start's profile cannot name a transaction: it has none yet"
    ]


def test_station_limit_in_kw_becomes_charge_point_max_in_watts() -> None:
    profile = power_limit_profile(PowerLimit(Decimal(11), LimitUnit.KW), NOW)
    assert (profile.purpose, profile.kind, profile.schedule.unit) == (
        Purpose.CHARGE_POINT_MAX,
        Kind.ABSOLUTE,
        RateUnit.WATTS,
    )
    assert profile.schedule.periods == (Period(0, Decimal(11000)),)
    assert profile.schedule.start == NOW
    assert profile.id == power_limit_id(Purpose.CHARGE_POINT_MAX, 0, 0)
    assert problems(profile, Target(evse_id=0)) == []


def test_evse_and_transaction_limits() -> None:
    evse = power_limit_profile(PowerLimit(Decimal(16), LimitUnit.A, evse_id=2, stack_level=3), NOW)
    assert (evse.purpose, evse.stack_level, evse.schedule.unit) == (
        Purpose.TX_DEFAULT,
        3,
        RateUnit.AMPS,
    )
    delayed = power_limit_profile(
        PowerLimit(Decimal("7.4"), LimitUnit.KW, evse_id=1, transaction_id=9, start_delay_s=900),
        NOW,
    )
    assert (delayed.purpose, delayed.kind, delayed.transaction_id) == (Purpose.TX, Kind.RELATIVE, 9)
    assert delayed.schedule.start is None
    assert [p.start_offset_s for p in delayed.schedule.periods] == [0, 900]
    assert delayed.schedule.periods[1].limit == Decimal("7.4") * 1000
    assert len({power_limit_id(p, e, s) for p in Purpose for e in (0, 1) for s in (0, 1)}) == 12


def test_power_limit_problems() -> None:
    assert power_limit_problems(PowerLimit(Decimal(0), LimitUnit.KW)) == [
        "limit must be greater than 0"
    ]
    assert power_limit_problems(PowerLimit(Decimal(5), LimitUnit.KW, start_delay_s=60)) == [
        "start_delay_s counts from charging start: give evse_id or transaction_id"
    ]
    assert power_limit_problems(
        PowerLimit(Decimal(5), LimitUnit.A, duration_s=0, stack_level=-1)
    ) == [
        "duration_s must be positive",
        "stack_level must be between 0 and 999",
    ]
