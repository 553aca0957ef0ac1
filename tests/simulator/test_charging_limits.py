"""The OCPP 1.6 stacking rules, as pure functions of the installed profiles."""

from datetime import UTC, datetime, timedelta

import pytest

from chargeyard.simulator.charging_limits import InstalledProfile, composite_schedule, limits_at
from chargeyard.simulator.charging_profile import (
    ChargingProfile,
    ChargingSchedule,
    ProfileKind,
    ProfilePurpose,
    RateUnit,
    Recurrency,
    SchedulePeriod,
)
from chargeyard.simulator.connector import TransactionId

T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
TX = TransactionId("7")


def profile(
    profile_id: int,
    purpose: ProfilePurpose,
    *periods: tuple[int, float],
    stack_level: int = 0,
    unit: RateUnit = RateUnit.AMPS,
    kind: ProfileKind = ProfileKind.ABSOLUTE,
    start: datetime | None = T0,
    duration_s: int | None = None,
    recurrency: Recurrency | None = None,
    transaction_id: TransactionId | None = None,
    phases: int | None = None,
) -> ChargingProfile:
    return ChargingProfile(
        profile_id=profile_id,
        stack_level=stack_level,
        purpose=purpose,
        kind=kind,
        schedule=ChargingSchedule(
            unit=unit,
            periods=tuple(SchedulePeriod(s, limit, phases) for s, limit in periods),
            duration_s=duration_s,
            start=start,
        ),
        recurrency=recurrency,
        transaction_id=transaction_id,
    )


def at(
    installed: list[InstalledProfile],
    when: datetime,
    *,
    connector_id: int = 1,
    phases: int = 3,
    transaction: bool = False,
    tx_start: datetime = T0,
) -> tuple[float | None, float | None]:
    limits = limits_at(
        installed,
        when,
        connector_id=connector_id,
        voltage_v=230,
        phases=phases,
        transaction_id=TX if transaction else None,
        tx_start=tx_start if transaction else None,
    )
    return limits.station_w, limits.connector_w


DEFAULT = ProfilePurpose.TX_DEFAULT
MAX = ProfilePurpose.CHARGE_POINT_MAX
TXP = ProfilePurpose.TX


def test_no_profiles_means_no_limits() -> None:
    assert at([], T0) == (None, None)


def test_amps_convert_to_watts_per_phase_in_use() -> None:
    installed = [InstalledProfile(1, profile(1, DEFAULT, (0, 16)))]

    assert at(installed, T0) == (None, 16 * 230 * 3)
    assert at(installed, T0, phases=1) == (None, 16 * 230)


def test_a_period_with_fewer_phases_limits_the_conversion() -> None:
    installed = [InstalledProfile(1, profile(1, DEFAULT, (0, 16), phases=1))]

    assert at(installed, T0, phases=3) == (None, 16 * 230)


def test_the_period_in_force_follows_the_clock() -> None:
    installed = [InstalledProfile(1, profile(1, DEFAULT, (0, 32), (600, 10), unit=RateUnit.AMPS))]

    assert at(installed, T0 + timedelta(seconds=599))[1] == 32 * 690
    assert at(installed, T0 + timedelta(seconds=600))[1] == 10 * 690
    assert at(installed, T0 - timedelta(seconds=1))[1] is None


def test_highest_stack_level_wins_within_a_purpose() -> None:
    installed = [
        InstalledProfile(1, profile(1, DEFAULT, (0, 7000), stack_level=1, unit=RateUnit.WATTS)),
        InstalledProfile(1, profile(2, DEFAULT, (0, 9000), stack_level=3, unit=RateUnit.WATTS)),
        InstalledProfile(1, profile(3, DEFAULT, (0, 8000), stack_level=2, unit=RateUnit.WATTS)),
    ]

    assert at(installed, T0)[1] == 9000


def test_when_the_higher_stack_ends_the_lower_one_applies_again() -> None:
    installed = [
        InstalledProfile(1, profile(1, DEFAULT, (0, 7000), stack_level=1, unit=RateUnit.WATTS)),
        InstalledProfile(
            1, profile(2, DEFAULT, (0, 3000), stack_level=5, unit=RateUnit.WATTS, duration_s=900)
        ),
    ]

    assert at(installed, T0 + timedelta(minutes=10))[1] == 3000
    assert at(installed, T0 + timedelta(minutes=15))[1] == 7000


def test_a_tx_profile_overrides_the_default_during_its_transaction() -> None:
    installed = [
        InstalledProfile(1, profile(1, DEFAULT, (0, 32), stack_level=9)),
        InstalledProfile(1, profile(2, TXP, (0, 10), transaction_id=TX, kind=ProfileKind.RELATIVE)),
    ]

    assert at(installed, T0, transaction=True)[1] == 10 * 690
    assert at(installed, T0, transaction=False)[1] == 32 * 690


def test_a_tx_profile_of_another_transaction_is_ignored() -> None:
    other = TransactionId("8")
    installed = [InstalledProfile(1, profile(2, TXP, (0, 10), transaction_id=other))]

    assert at(installed, T0, transaction=True)[1] is None


def test_a_connectors_own_default_overrides_the_station_wide_one() -> None:
    installed = [
        InstalledProfile(0, profile(1, DEFAULT, (0, 6), stack_level=5)),
        InstalledProfile(2, profile(2, DEFAULT, (0, 20), stack_level=0)),
    ]

    assert at(installed, T0, connector_id=1)[1] == 6 * 690
    assert at(installed, T0, connector_id=2)[1] == 20 * 690


def test_the_station_maximum_is_reported_apart_and_shared() -> None:
    installed = [
        InstalledProfile(0, profile(1, MAX, (0, 22_000), unit=RateUnit.WATTS)),
        InstalledProfile(1, profile(2, DEFAULT, (0, 16))),
    ]
    limits = limits_at(installed, T0, connector_id=1, voltage_v=230, phases=3)

    assert (limits.station_w, limits.connector_w) == (22_000, 11_040)
    assert limits.for_connector(sharing=1) == 11_040
    assert limits.for_connector(sharing=3) == pytest.approx(22_000 / 3)


def test_relative_profiles_run_from_the_transaction_start() -> None:
    relative = profile(1, DEFAULT, (0, 32), (3600, 8), kind=ProfileKind.RELATIVE, start=None)
    installed = [InstalledProfile(1, relative)]
    started = T0 + timedelta(hours=5)

    assert at(installed, started + timedelta(minutes=59), transaction=True, tx_start=started)[
        1
    ] == (32 * 690)
    assert at(installed, started + timedelta(hours=2), transaction=True, tx_start=started)[1] == (
        8 * 690
    )
    assert at(installed, started)[1] is None  # no transaction, nothing to be relative to


def test_recurring_daily_profiles_repeat_every_day() -> None:
    night = profile(
        1,
        DEFAULT,
        (0, 32),
        (8 * 3600, 6),
        kind=ProfileKind.RECURRING,
        recurrency=Recurrency.DAILY,
        start=datetime(2025, 1, 1, 22, 0, tzinfo=UTC),
    )
    installed = [InstalledProfile(1, night)]

    assert at(installed, datetime(2025, 3, 1, 23, 0, tzinfo=UTC))[1] == 32 * 690
    assert at(installed, datetime(2025, 3, 2, 5, 59, tzinfo=UTC))[1] == 32 * 690
    assert at(installed, datetime(2025, 3, 2, 6, 0, tzinfo=UTC))[1] == 6 * 690
    assert at(installed, datetime(2024, 12, 31, 23, 0, tzinfo=UTC))[1] is None


def test_composite_schedule_merges_all_purposes_and_the_physical_maximum() -> None:
    installed = [
        InstalledProfile(0, profile(1, MAX, (0, 20), (1800, 10))),
        InstalledProfile(1, profile(2, DEFAULT, (0, 16), (900, 32), (2700, 16))),
    ]

    periods = composite_schedule(
        installed,
        connector_id=1,
        start=T0,
        duration_s=3600,
        unit=RateUnit.AMPS,
        voltage_v=230,
        phases=3,
        physical_max_w=32 * 690,
    )

    assert [(p.start_s, p.limit) for p in periods] == [(0, 16.0), (900, 20.0), (1800, 10.0)]
    assert {p.phases for p in periods} == {3}


def test_composite_schedule_in_watts_without_profiles_is_the_rating() -> None:
    periods = composite_schedule(
        [],
        connector_id=1,
        start=T0,
        duration_s=600,
        unit=RateUnit.WATTS,
        voltage_v=230,
        phases=3,
        physical_max_w=22_080,
    )

    assert [(p.start_s, p.limit, p.phases) for p in periods] == [(0, 22_080.0, None)]


def test_composite_schedule_evaluates_relative_profiles_as_if_starting_now() -> None:
    relative = profile(1, DEFAULT, (0, 6), (600, 16), kind=ProfileKind.RELATIVE, start=None)

    periods = composite_schedule(
        [InstalledProfile(1, relative)],
        connector_id=1,
        start=T0,
        duration_s=1200,
        unit=RateUnit.AMPS,
        voltage_v=230,
        phases=3,
        physical_max_w=22_080,
    )

    assert [(p.start_s, p.limit) for p in periods] == [(0, 6.0), (600, 16.0)]


def test_external_constraints_cap_the_station_and_the_connector_like_a_maximum() -> None:
    """OCPP 2.x ChargingStationExternalConstraints: on connector 0 it caps the station (beside
    the station maximum, the lower wins), on a connector that connector (over its TxProfile)."""
    external = ProfilePurpose.EXTERNAL_CONSTRAINTS
    installed = [
        InstalledProfile(0, profile(1, MAX, (0, 32))),
        InstalledProfile(0, profile(2, external, (0, 20))),
        InstalledProfile(1, profile(3, TXP, (0, 16), transaction_id=TX)),
        InstalledProfile(1, profile(4, external, (0, 10))),
    ]
    station, connector = at(installed, T0, transaction=True)
    assert station == pytest.approx(20 * 230 * 3)
    assert connector == pytest.approx(10 * 230 * 3)
    # Without the connector's constraint its TxProfile decides; the station's still caps.
    station, connector = at(installed[:3], T0, transaction=True)
    assert (station, connector) == (pytest.approx(20 * 230 * 3), pytest.approx(16 * 230 * 3))
