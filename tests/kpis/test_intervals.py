"""Uptime and utilisation per local day, week and month over real REST, cut by the calendar the
session statistics use (`KpiService.calendar`), from a history laid down in the past."""

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from chargeyard.events.models import Event
from chargeyard.events.payloads import StationConnected
from chargeyard.stations.models import Station, StatusChange
from chargeyard.storage.database import Database
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD

KOLKATA = ZoneInfo("Asia/Kolkata")
T0 = datetime(2026, 2, 2, tzinfo=KOLKATA)  # a Monday, local midnight (2026-02-01T18:30Z)
DAY = timedelta(days=1)
CHARGING = T0 + 15 * DAY - timedelta(minutes=30)
"""2026-02-16 23:30 in Kolkata, 23:45 in Kathmandu."""


async def station_with_history(tenant: Tenant, timezone: str) -> str:
    """A station at a location in `timezone`, registered the day before T0 and connected since,
    whose connector is Available from T0 on, Faulted for one day from T0 + 8 days (a Tuesday)
    and Occupied, charging, for 12 hours from `CHARGING`."""
    location = await tenant.api.post("/locations", json={"name": "Depot", "timezone": timezone})
    assert location.status_code == 201, location.text
    station_id = tenant.unique("CP")
    created = await tenant.api.post(
        "/stations",
        json={"id": station_id, "password": PASSWORD, "location_id": location.json()["id"]},
    )
    assert created.status_code == 201, created.text
    org = tenant.organization_id
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.writing() as uow:
            await uow.session.execute(
                update(Station).where(Station.id == station_id).values(created_at=T0 - DAY)
            )
            uow.session.add(
                Event(
                    organization_id=org,
                    station_id=station_id,
                    type="station.connected",
                    occurred_at=T0 - timedelta(hours=1),
                    data=StationConnected(
                        station_id=station_id, protocol="ocpp1.6", replaced_previous=False
                    ),
                    fanned_out=True,
                )
            )
            for at, status in (
                (T0, "Available"),
                (T0 + 8 * DAY, "Faulted"),
                (T0 + 9 * DAY, "Available"),
                (CHARGING, "Charging"),
                (CHARGING + timedelta(hours=12), "Available"),
            ):
                uow.session.add(
                    StatusChange(
                        organization_id=org,
                        station_id=station_id,
                        evse_id=1,
                        connector_id=1,
                        status="Occupied" if status == "Charging" else status,
                        ocpp_status=status,
                        occurred_at=at.astimezone(UTC),
                    )
                )
            await uow.commit()
    finally:
        await db.dispose()
    return station_id


async def kpi(tenant: Tenant, name: str, **params: Any) -> Any:
    response = await tenant.api.get(f"/kpis/{name}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def test_uptime_per_local_week_and_month(tenant: Tenant) -> None:
    station_id = await station_with_history(tenant, "Asia/Kolkata")
    period = {
        "station_id": station_id,
        "start": T0.isoformat(),
        "end": (T0 + 21 * DAY).isoformat(),
    }
    weekly = await kpi(tenant, "uptime", interval="week", **period)
    assert (weekly["interval"], weekly["timezone"]) == ("week", "Asia/Kolkata")
    assert [item["start"] for item in weekly["items"]] == [
        "2026-02-02T00:00:00+05:30",
        "2026-02-09T00:00:00+05:30",
        "2026-02-16T00:00:00+05:30",
    ]
    assert weekly["items"][-1]["end"] == "2026-02-23T00:00:00+05:30"
    assert [item["fraction"] for item in weekly["items"]] == pytest.approx([1, 6 / 7, 1])
    assert [item["down_s"] for item in weekly["items"]] == [0, 86400, 0]
    assert weekly["fraction"] == pytest.approx(20 / 21)
    assert sum(item["up_s"] for item in weekly["items"]) == pytest.approx(weekly["up_s"])

    monthly = await kpi(
        tenant,
        "uptime",
        interval="month",
        station_id=station_id,
        start="2026-01-15T00:00:00+05:30",
        end="2026-03-10T00:00:00+05:30",
    )
    assert [(item["start"], item["fraction"]) for item in monthly["items"]] == [
        ("2026-01-15T00:00:00+05:30", None),  # before the station was registered
        ("2026-02-01T00:00:00+05:30", pytest.approx(26 / 27)),  # from T0, a day Faulted
        ("2026-03-01T00:00:00+05:30", 1.0),
    ]
    assert monthly["items"][-1]["end"] == "2026-03-10T00:00:00+05:30"

    # The same weeks read in UTC start at UTC midnights; the whole period is the same.
    in_utc = await kpi(tenant, "uptime", interval="week", timezone="UTC", **period)
    assert in_utc["items"][1]["start"] == "2026-02-02T00:00:00Z"
    assert in_utc["fraction"] == weekly["fraction"]

    # Without an interval, the answer is the period's alone.
    plain = await kpi(tenant, "uptime", **period)
    assert plain["items"] is None and plain["fraction"] == weekly["fraction"]


async def test_utilisation_per_local_day(tenant: Tenant) -> None:
    """Days of a zone 45 minutes off the hour: the charging half day lands in its local day."""
    station_id = await station_with_history(tenant, "Asia/Kathmandu")
    nepal = ZoneInfo("Asia/Kathmandu")
    start = datetime(2026, 2, 16, tzinfo=nepal)
    used = await kpi(
        tenant,
        "utilisation",
        interval="day",
        station_id=station_id,
        start=start.isoformat(),
        end=(start + 3 * DAY).isoformat(),
    )
    assert used["timezone"] == "Asia/Kathmandu"
    assert [item["start"][-6:] for item in used["items"]] == ["+05:45"] * 3
    occupied = [item["occupied_s"] for item in used["items"]]
    assert occupied == [15 * 60, 12 * 3600 - 15 * 60, 0]
    assert [item["charging_s"] for item in used["items"]] == occupied
    assert used["occupied_s"] == 12 * 3600


async def test_intervals_are_refused_like_the_session_statistics(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    station_id = await station_with_history(tenant, "Australia/Adelaide")
    period = {"station_id": station_id, "start": T0.isoformat(), "end": (T0 + DAY).isoformat()}
    for params in (
        {"interval": "week", "timezone": "Mars/Olympus"},
        {"timezone": "Mars/Olympus"},  # refused even without an interval
        {"interval": "fortnight"},
        {"interval": "day", "start": "2000-01-01T00:00:00Z"},  # more than 1,000 days
    ):
        refused = await tenant.api.get("/kpis/uptime", params=period | params)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
    foreign = await other_tenant.api.get("/kpis/uptime", params=period | {"interval": "day"})
    assert foreign.status_code == 404
