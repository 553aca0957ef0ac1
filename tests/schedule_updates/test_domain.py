"""The limit a profile imposes at an instant, and which profile is on a station after its
history of installs and clears."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
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
from chargeyard.schedule_updates.domain import (
    Cleared,
    Installed,
    ProfileChange,
    installed_profile,
    limit_in_force,
)

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
PERIODS = (Period(0, Decimal(16000)), Period(3600, Decimal(11000), 3))


BASE = ChargingProfile(
    1, Purpose.TX_DEFAULT, Kind.ABSOLUTE, Schedule(RateUnit.WATTS, PERIODS, start=T0)
)


def profile(profile_id: int = 1, **changes: Any) -> ChargingProfile:
    return replace(BASE, id=profile_id, **changes)


def limit(p: ChargingProfile, at: datetime, installed_at: datetime = T0) -> Decimal | None:
    found = limit_in_force(Installed(p, 1, installed_at), at)
    return None if found is None else found.limit


def test_absolute_schedule_periods() -> None:
    p = profile()
    assert limit(p, T0 - timedelta(seconds=1)) is None
    assert limit(p, T0 + timedelta(minutes=59)) == 16000
    in_force = limit_in_force(Installed(p, 1, T0), T0 + timedelta(hours=5))
    assert in_force is not None and (in_force.limit, in_force.number_phases) == (Decimal(11000), 3)


def test_duration_and_validity_end_the_limit() -> None:
    timed = profile(schedule=Schedule(RateUnit.AMPS, PERIODS, duration_s=7200, start=T0))
    assert limit(timed, T0 + timedelta(hours=1, minutes=59)) == 11000
    assert limit(timed, T0 + timedelta(hours=2)) is None
    valid = profile(valid_from=T0 + timedelta(hours=1), valid_to=T0 + timedelta(hours=3))
    assert limit(valid, T0 + timedelta(minutes=30)) is None
    assert limit(valid, T0 + timedelta(hours=2)) == 11000
    assert limit(valid, T0 + timedelta(hours=3)) is None


def test_relative_schedule_runs_from_its_installation() -> None:
    relative = profile(kind=Kind.RELATIVE, schedule=Schedule(RateUnit.WATTS, PERIODS))
    installed = T0 + timedelta(hours=10)
    assert limit(relative, installed + timedelta(minutes=30), installed) == 16000
    assert limit(relative, installed + timedelta(minutes=90), installed) == 11000


def test_recurring_schedule_repeats_daily() -> None:
    daily = profile(kind=Kind.RECURRING, recurrency=Recurrency.DAILY)
    assert limit(daily, T0 + timedelta(days=3, minutes=10)) == 16000
    assert limit(daily, T0 + timedelta(days=3, hours=2)) == 11000


def test_history_of_installs_and_clears() -> None:
    one, two = profile(1), profile(2, stack_level=2)
    later = T0 + timedelta(minutes=1)
    history: list[ProfileChange] = [Installed(one, 1, T0), Installed(two, 2, T0)]
    found = installed_profile(history, 1)
    assert found is not None and found.profile is one
    assert installed_profile([*history, Cleared(later, profile_id=1)], 1) is None
    assert installed_profile([*history, Cleared(later, profile_id=2)], 1) is not None
    assert installed_profile([*history, Cleared(later)], 2) is None  # clear everything
    by_stack = Cleared(later, purpose=Purpose.TX_DEFAULT, stack_level=2)
    assert installed_profile([*history, by_stack], 1) is not None
    assert installed_profile([*history, by_stack], 2) is None
    assert installed_profile([*history, Cleared(later, evse_id=2)], 2) is None
    reinstalled = [*history, Cleared(later, profile_id=1), Installed(one, 1, later)]
    assert installed_profile(reinstalled, 1) is not None
