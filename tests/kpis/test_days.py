"""UTC days for the rollup: the whole days of a period, the pieces around them, and the first
day a recorded change can alter."""

from datetime import UTC, date, datetime, timedelta

from chargeyard.kpis.days import EVERY_DAY, merged, stale_from, uncovered, whole_days

D = datetime(2026, 3, 28, tzinfo=UTC)
H = timedelta(hours=1)


def test_whole_days_and_the_pieces_around_them() -> None:
    start, end = D - H, D + 48 * H + 1 * H  # Berlin's 28 and 29 March, DST between
    assert whole_days(start, end) == [date(2026, 3, 28), date(2026, 3, 29)]
    assert whole_days(D, D + 24 * H) == [date(2026, 3, 28)]
    assert whole_days(D + H, D + 24 * H) == []
    assert uncovered(start, end, whole_days(start, end)) == [(start, D), (D + 48 * H, end)]
    assert uncovered(start, end, [date(2026, 3, 29)]) == [(start, D + 24 * H), (D + 48 * H, end)]


def test_merged_spans() -> None:
    assert merged(
        [(D + 2 * H, D + 3 * H), (D, D + H), (D + H, D + 2 * H), (D + 5 * H, D + 6 * H)]
    ) == [
        (D, D + 3 * H),
        (D + 5 * H, D + 6 * H),
    ]


def test_a_late_status_is_stale_from_its_own_time() -> None:
    late = (D - 30 * H).isoformat()
    assert stale_from("connector.status_changed", D, {"timestamp": late}) == date(2026, 3, 26)
    assert stale_from("connector.status_changed", D, {"timestamp": "not a time"}) == EVERY_DAY
    assert stale_from("session.stopped", D - H, {}) == date(2026, 3, 27)
    assert stale_from("maintenance_window.deleted", D, {}) == EVERY_DAY
