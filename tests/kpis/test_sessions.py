"""Session statistics: calendar intervals, and per-day figures over real REST from sessions a
real 1.6 station on loopback ran."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from chargeyard.kpis.sessions import Interval, SessionFacts, intervals, session_stats
from tests.commands.conftest import Online, start_transaction
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD

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


BERLIN = ZoneInfo("Europe/Berlin")


def test_intervals_follow_a_local_calendar_across_daylight_saving_time() -> None:
    """Berlin's clocks go forward on 29 March 2026 and back on 25 October: those local days
    last 23 and 25 hours, and each interval starts at a local midnight."""
    start = datetime(2026, 3, 28, tzinfo=BERLIN)
    days = intervals(start, datetime(2026, 3, 31, tzinfo=BERLIN), Interval.DAY, zone=BERLIN)
    assert [b.astimezone(BERLIN).day for b, _ in days] == [28, 29, 30]
    assert [(e - b) / timedelta(hours=1) for b, e in days] == [24, 23, 24]
    assert all(b.astimezone(BERLIN).hour == 0 for b, _ in days)
    autumn = intervals(
        datetime(2026, 10, 25, tzinfo=BERLIN),
        datetime(2026, 10, 26, tzinfo=BERLIN),
        Interval.DAY,
        zone=BERLIN,
    )
    assert [(e - b) / timedelta(hours=1) for b, e in autumn] == [25]
    weeks = intervals(start, datetime(2026, 4, 10, tzinfo=BERLIN), Interval.WEEK, zone=BERLIN)
    assert weeks[1][0] == datetime(2026, 3, 30, tzinfo=BERLIN)  # Monday, summer time
    months = intervals(start, datetime(2026, 4, 2, tzinfo=BERLIN), Interval.MONTH, zone=BERLIN)
    assert months[1][0] == datetime(2026, 4, 1, tzinfo=BERLIN)


@pytest.mark.parametrize("zone", ["America/Santiago", "America/Havana", "Asia/Beirut"])
def test_intervals_end_where_a_zone_skips_or_repeats_midnight(zone: str) -> None:
    """Zones whose clocks change at midnight: every interval is non-empty and they tile the
    period, over a whole year."""
    tz = ZoneInfo(zone)
    start, end = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    days = intervals(start, end, Interval.DAY, zone=tz)
    assert days[0][0] == start and days[-1][1] == end
    assert all(b < e for b, e in days)
    assert all(e == b2 for (_, e), (b2, _) in pairwise(days))
    assert 364 <= len(days) <= 366


async def test_sessions_per_local_day_at_a_location(tenant: Tenant, online: Online) -> None:
    """A station at a Berlin location counts its sessions per Berlin day by default: one started
    at 23:30 UTC on 28 March is on the 29th there, the day summer time began (23 hours); any
    zone can be asked for instead, and an unknown one is a 422."""
    location = await tenant.api.post(
        "/locations", json={"name": "Berlin depot", "timezone": "Europe/Berlin"}
    )
    assert location.status_code == 201, location.text
    station_id = tenant.unique("CP")
    created = await tenant.api.post(
        "/stations",
        json={"id": station_id, "password": PASSWORD, "location_id": location.json()["id"]},
    )
    assert created.status_code == 201, created.text
    assert (await tenant.api.post("/id-tags", json={"value": "TAG-DST"})).status_code == 201
    async with online(station_id) as (_, station):
        for started in ("2026-03-28T22:30:00Z", "2026-03-28T23:30:00Z", "2026-03-29T22:30:00Z"):
            await station.ok(
                "StartTransaction",
                {"connectorId": 1, "idTag": "TAG-DST", "meterStart": 0, "timestamp": started},
            )
    period = {"start": "2026-03-28T00:00:00+01:00", "end": "2026-03-31T00:00:00+02:00"}
    local = []
    for scope in ({"station_id": station_id}, {"location_id": location.json()["id"]}):
        response = await tenant.api.get("/kpis/sessions", params=period | scope)
        assert response.status_code == 200, response.text
        local.append(response.json())
    for body in local:
        assert body["timezone"] == "Europe/Berlin"
        assert [item["sessions"] for item in body["items"]] == [1, 1, 1]
        assert [item["start"] for item in body["items"]] == [
            "2026-03-28T00:00:00+01:00",
            "2026-03-29T00:00:00+01:00",
            "2026-03-30T00:00:00+02:00",
        ]
    in_utc = await tenant.api.get(
        "/kpis/sessions", params=period | {"station_id": station_id, "timezone": "UTC"}
    )
    assert in_utc.json()["timezone"] == "UTC"
    assert [item["sessions"] for item in in_utc.json()["items"]] == [0, 2, 1, 0]
    for wrong in ("Mars/Olympus", "../../etc/passwd", "x" * 65):
        refused = await tenant.api.get(
            "/kpis/sessions", params=period | {"station_id": station_id, "timezone": wrong}
        )
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
    organization = await tenant.api.get("/kpis/sessions", params=period)
    assert organization.json()["timezone"] == "UTC"
