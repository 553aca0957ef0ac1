"""Session statistics: calendar intervals, and per-day figures over real REST from sessions a
real 1.6 station on loopback ran."""

from datetime import UTC, datetime, timedelta

from chargeyard.kpis.sessions import Interval, SessionFacts, intervals, session_stats
from tests.commands.conftest import Online, start_transaction
from tests.conftest import Tenant

T0 = datetime(2026, 1, 30, 12, tzinfo=UTC)  # a Friday


def test_intervals_follow_the_utc_calendar() -> None:
    days = intervals(T0, T0 + timedelta(days=2), Interval.DAY)
    assert [b.day for b, _ in days] == [30, 31, 1]
    assert days[0] == (T0, datetime(2026, 1, 31, tzinfo=UTC))
    weeks = intervals(T0, T0 + timedelta(days=10), Interval.WEEK)
    assert weeks[1][0] == datetime(2026, 2, 2, tzinfo=UTC)  # Monday
    months = intervals(T0, datetime(2026, 3, 15, tzinfo=UTC), Interval.MONTH)
    assert [b.month for b, _ in months] == [1, 2, 3]
    assert intervals(
        datetime(2026, 12, 5, tzinfo=UTC), datetime(2027, 2, 1, tzinfo=UTC), Interval.MONTH
    )[1][0] == datetime(2027, 1, 1, tzinfo=UTC)


def test_sessions_count_where_they_start() -> None:
    hour = timedelta(hours=1)
    sessions = [
        SessionFacts(T0, T0 + hour, 10_000, True),
        SessionFacts(T0 + 11 * hour, T0 + 13 * hour, 0, True),  # failed: no energy
        SessionFacts(T0 + 13 * hour, None, None, True),  # still running
        SessionFacts(T0 + 14 * hour, T0 + 14 * hour, None, False),  # failed: refused
        SessionFacts(T0 - hour, T0, 5, True),  # before the period
    ]
    first, second = session_stats(sessions, intervals(T0, T0 + 2 * 12 * hour, Interval.DAY))
    assert (first.sessions, first.finished, first.failed, first.energy_wh) == (2, 2, 1, 10_000)
    assert first.average_duration_s == 1.5 * 3600
    assert first.average_energy_wh == 5000
    assert (second.sessions, second.finished, second.failed) == (2, 1, 1)
    assert second.failed_rate == 0.5


async def test_sessions_per_day(tenant: Tenant, online: Online, other_tenant: Tenant) -> None:
    for tag in ("TAG-1", "TAG-2"):
        assert (await tenant.api.post("/id-tags", json={"value": tag})).status_code == 201
    async with online() as (station_id, station):
        for connector in (1, 2):
            # 2026-01-01T10:00Z
            transaction_id = await start_transaction(station, f"TAG-{connector}", connector)
            await station.ok(
                "StopTransaction",
                {
                    "transactionId": transaction_id,
                    "meterStop": 5000,
                    "timestamp": "2026-01-01T11:00:00Z",
                },
            )
    params = {
        "station_id": station_id,
        "start": "2026-01-01T00:00:00Z",
        "end": "2026-01-03T00:00:00Z",
        "interval": "day",
    }
    response = await tenant.api.get("/kpis/sessions", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [item["sessions"] for item in body["items"]] == [2, 0]
    day = body["items"][0]
    assert (day["energy_wh"], day["average_duration_s"], day["failed"]) == (8000, 3600.0, 0)
    assert body["total"]["sessions"] == 2
    foreign = await other_tenant.api.get("/kpis/sessions", params=params)
    assert foreign.status_code == 404
    too_many = await tenant.api.get(
        "/kpis/sessions", params={"start": "2000-01-01T00:00:00Z", "end": "2026-01-01T00:00:00Z"}
    )
    assert too_many.status_code == 422
