from datetime import UTC, datetime

from chargeyard.simulator.charging_profile import (
    ChargingProfile,
    ChargingSchedule,
    ProfileKind,
    ProfilePurpose,
    RateUnit,
    SchedulePeriod,
)
from chargeyard.simulator.profile_store import ProfileStore


def profile(profile_id: int, purpose: ProfilePurpose, stack_level: int = 0) -> ChargingProfile:
    schedule = ChargingSchedule(
        RateUnit.AMPS, (SchedulePeriod(0, 16),), start=datetime(2025, 1, 1, tzinfo=UTC)
    )
    return ChargingProfile(profile_id, stack_level, purpose, ProfileKind.ABSOLUTE, schedule)


def ids(store: ProfileStore) -> list[tuple[int, int]]:
    return [(item.connector_id, item.profile.profile_id) for item in store]


def test_same_id_replaces_wherever_it_was() -> None:
    store = ProfileStore()
    store.install(1, profile(5, ProfilePurpose.TX_DEFAULT))
    store.install(2, profile(5, ProfilePurpose.TX_DEFAULT, stack_level=3))

    assert ids(store) == [(2, 5)]


def test_same_stack_level_and_purpose_on_a_connector_replaces() -> None:
    store = ProfileStore()
    store.install(1, profile(1, ProfilePurpose.TX_DEFAULT, stack_level=2))
    store.install(2, profile(2, ProfilePurpose.TX_DEFAULT, stack_level=2))
    store.install(1, profile(3, ProfilePurpose.TX_DEFAULT, stack_level=2))

    assert ids(store) == [(2, 2), (1, 3)]


def test_clear_by_id_ignores_other_criteria() -> None:
    store = ProfileStore()
    store.install(1, profile(1, ProfilePurpose.TX_DEFAULT))

    assert store.clear(profile_id=1, connector_id=2) == 1
    assert len(store) == 0


def test_clear_by_criteria_removes_every_match() -> None:
    store = ProfileStore()
    store.install(0, profile(1, ProfilePurpose.CHARGE_POINT_MAX))
    store.install(1, profile(2, ProfilePurpose.TX_DEFAULT, stack_level=1))
    store.install(2, profile(3, ProfilePurpose.TX_DEFAULT, stack_level=1))
    store.install(2, profile(4, ProfilePurpose.TX_DEFAULT, stack_level=2))

    assert store.clear(purpose=ProfilePurpose.TX_DEFAULT, stack_level=1) == 2
    assert ids(store) == [(0, 1), (2, 4)]
    assert store.clear(connector_id=3) == 0


def test_ending_a_transaction_drops_only_its_connectors_tx_profiles() -> None:
    store = ProfileStore()
    store.install(1, profile(1, ProfilePurpose.TX))
    store.install(2, profile(2, ProfilePurpose.TX))
    store.install(1, profile(3, ProfilePurpose.TX_DEFAULT))

    store.end_transaction(1)

    assert ids(store) == [(2, 2), (1, 3)]
