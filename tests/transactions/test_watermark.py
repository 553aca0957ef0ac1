"""The connection's newest stored sample per EVSE: only strictly newer samples skip the check."""

from datetime import UTC, datetime, timedelta

from chargeyard.transactions.watermark import MeterWatermark

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_an_evse_is_unknown_until_seeded_and_an_empty_one_takes_anything() -> None:
    mark = MeterWatermark()
    assert not mark.known(1)
    mark.seed(1, None)
    assert mark.known(1) and mark.all_newer(1, [at(0)])


def test_only_samples_all_newer_than_the_stored_ones_pass() -> None:
    mark = MeterWatermark()
    mark.seed(1, at(5))
    assert not mark.all_newer(1, [at(5)])
    assert not mark.all_newer(1, [at(6), at(4)])
    assert mark.all_newer(1, [at(6), at(7)])
    mark.stored(1, [at(7), at(6)])
    assert not mark.all_newer(1, [at(7)])
    mark.stored(1, [at(2)])  # an old sample stored after the full check moves nothing back
    assert not mark.all_newer(1, [at(7)]) and mark.all_newer(1, [at(8)])


def test_evses_are_apart_and_a_second_seed_changes_nothing() -> None:
    mark = MeterWatermark()
    mark.seed(1, at(5))
    mark.seed(2, None)
    mark.seed(1, None)
    assert not mark.all_newer(1, [at(3)])
    assert mark.all_newer(2, [at(3)])
