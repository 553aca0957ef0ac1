"""GET /api/v1/timeseries over real REST: a real 1.6 station's session resampled, a station's
old hours served from the hourly rollups retention keeps, and availability per bucket."""

from datetime import UTC, datetime

import pytest

from chargeyard.retention.models import MeterValueRollup
from chargeyard.storage.database import Database
from chargeyard.timeseries.domain import ENERGY
from tests.commands.conftest import Online, register, start_transaction
from tests.commands.station import ScriptedStation
from tests.conftest import Tenant

ENERGY_READINGS = (("10:15", 2000, 40), ("10:30", 3500, 55), ("10:45", 4100, 61))


async def test_a_session_resampled_to_energy_power_and_soc(
    tenant: Tenant, other_tenant: Tenant, online: Online
) -> None:
    async with online() as (station_id, station):
        transaction_id = await start_transaction(station, "TAG-TS")
        for clock, wh, soc in ENERGY_READINGS:
            await station.ok(
                "MeterValues",
                {
                    "connectorId": 1,
                    "transactionId": transaction_id,
                    "meterValue": [
                        {
                            "timestamp": f"2026-01-01T{clock}:00Z",
                            "sampledValue": [
                                {"value": str(wh), "measurand": ENERGY, "unit": "Wh"},
                                {"value": str(soc), "measurand": "SoC", "unit": "Percent"},
                            ],
                        }
                    ],
                },
            )
        await station.ok(
            "StopTransaction",
            {
                "transactionId": transaction_id,
                "meterStop": 5000,
                "timestamp": "2026-01-01T11:00:00Z",
            },
        )

    response = await tenant.api.get(
        f"/timeseries/sessions/{transaction_id}", params={"resolution": "15m"}
    )
    assert response.status_code == 200, response.text
    series = response.json()
    assert series["start"].startswith("2026-01-01T10:00:00")
    by_start = {p["start"][11:16]: p for p in series["points"]}
    assert by_start["10:15"] == {
        "start": by_start["10:15"]["start"],
        "energy_kwh": 1.5,
        "power_kw": 6.0,
        "soc_percent": 40.0,
    }
    assert by_start["10:30"] | {"start": ""} == {
        "start": "",
        "energy_kwh": 0.6,
        "power_kw": 2.4,
        "soc_percent": 55.0,
    }
    assert by_start["10:00"]["soc_percent"] is None  # the first SoC came at 10:15

    hourly = await tenant.api.get(
        f"/timeseries/stations/{station_id}",
        params={"resolution": "1h", "start": "2026-01-01T10:00:00Z", "end": "2026-01-01T11:00:00Z"},
    )
    assert hourly.status_code == 200, hourly.text
    [hour] = hourly.json()["points"]
    assert 2.1 <= hour["energy_kwh"] <= 4.0  # at least 10:15 -> 10:45, at most the session
    # A location's series sums the stations of the locations below it too.
    campus = await tenant.api.post("/locations", json={"name": "Campus"})
    car_park = await tenant.api.post(
        "/locations", json={"name": "Car park", "parent_id": campus.json()["id"]}
    )
    moved = await tenant.api.patch(
        f"/stations/{station_id}", json={"location_id": car_park.json()["id"]}
    )
    assert moved.status_code == 200, moved.text
    site = await tenant.api.get(
        f"/timeseries/locations/{campus.json()['id']}",
        params={"resolution": "1h", "start": "2026-01-01T10:00:00Z", "end": "2026-01-01T11:00:00Z"},
    )
    assert site.status_code == 200, site.text
    assert site.json()["points"] == hourly.json()["points"]

    theirs = await other_tenant.api.get(f"/timeseries/sessions/{transaction_id}")
    assert theirs.status_code == 404
    assert (await other_tenant.api.get(f"/timeseries/stations/{station_id}")).status_code == 404
    too_fine = await tenant.api.get(
        f"/timeseries/stations/{station_id}",
        params={"resolution": "1m", "start": "2025-01-01T00:00:00Z"},
    )
    assert too_fine.status_code == 422
    assert too_fine.headers["content-type"].startswith("application/problem+json")


async def test_old_hours_come_from_the_rollups(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, _station):
        pass
    db = Database(tenant.server.settings.database_url)
    try:
        async with db.writing() as uow:
            for hour, first, last in ((10, 0.0, 5900.0), (11, 6000.0, 11900.0)):
                uow.session.add(
                    MeterValueRollup(
                        organization_id=tenant.organization_id,
                        station_id=station_id,
                        evse_id=1,
                        connector_id=1,
                        transaction_id=None,
                        measurand=ENERGY,
                        phase="",
                        location="",
                        unit="Wh",
                        hour=datetime(2025, 6, 1, hour, tzinfo=UTC),
                        count=60,
                        numeric_count=60,
                        total=0.0,
                        minimum=first,
                        maximum=last,
                        first_at=datetime(2025, 6, 1, hour, 0, tzinfo=UTC),
                        first_value=first,
                        last_at=datetime(2025, 6, 1, hour, 59, tzinfo=UTC),
                        last_value=last,
                    )
                )
            await uow.commit()
    finally:
        await db.dispose()
    response = await tenant.api.get(
        f"/timeseries/stations/{station_id}",
        params={"resolution": "1h", "start": "2025-06-01T10:00:00Z", "end": "2025-06-01T12:00:00Z"},
    )
    assert response.status_code == 200, response.text
    assert [(p["energy_kwh"], p["power_kw"]) for p in response.json()["points"]] == [
        (6.0, 6.0),
        (5.9, 5.9),
    ]


async def test_availability_per_bucket(tenant: Tenant, online: Online) -> None:
    async with online() as (station_id, station):
        await station.ok(
            "StatusNotification", {"connectorId": 1, "status": "Available", "errorCode": "NoError"}
        )
    response = await tenant.api.get(
        f"/timeseries/stations/{station_id}/availability", params={"resolution": "1h"}
    )
    assert response.status_code == 200, response.text
    points = response.json()["points"]
    assert len(points) in (24, 25)
    measured = [p for p in points if p["connectivity"] is not None]
    assert measured and all(0 <= p["connectivity"] <= 1 for p in measured)
    assert measured[-1]["connected_s"] > 0


@pytest.mark.parametrize(
    "instant",
    ["0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-01:00"],
)
async def test_series_at_the_ends_of_the_calendar_are_answered_or_refused(
    tenant: Tenant, instant: str
) -> None:
    """A series from or to year 1 or 9999 (the default day before it, a bucket edge after it)
    is answered or refused with a 422, never a 500; so are the lists filtered by such times."""
    station_id = await register(tenant)
    paths = [
        f"/timeseries/stations/{station_id}",
        f"/timeseries/stations/{station_id}/availability",
        "/maintenance-windows",
        "/alerts",
        "/reports/alerts.csv",
        "/reports/meter-values.csv",
    ]
    names = {"start", "end", "since", "until", "active_at"}
    for path in paths:
        for name in names:
            params = {name: instant, "resolution": "1d"}
            answer = await tenant.api.get(path, params=params)
            assert answer.status_code in (200, 422), (path, params, answer.text)


async def test_day_buckets_are_the_locations_days(tenant: Tenant, online: Online) -> None:
    """A station at a Berlin location: its `1d` buckets (energy and availability) start at
    Berlin's midnights, the one of 29 March 2026 lasting 23 hours; `timezone` asks for
    another zone's days, and an unknown zone is a 422."""
    station_id, location_id = await located_station(tenant, "Berlin yard", "Europe/Berlin")
    async with online(station_id) as (_, station):
        transaction_id = await start_transaction(station, "TAG-DST")
        # 1 kWh from 22:30 to 23:30 UTC on the 28th: 23:30 to 00:30 in Berlin, half of it on
        # the 29th there.
        await energy_readings(
            station, transaction_id, (("2026-03-28T22:30:00Z", 0), ("2026-03-28T23:30:00Z", 1000))
        )
    period = {"resolution": "1d", "start": "2026-03-28T12:00:00Z", "end": "2026-03-30T12:00:00Z"}
    local = await tenant.api.get(f"/timeseries/stations/{station_id}", params=period)
    assert local.status_code == 200, local.text
    series = local.json()
    assert series["timezone"] == "Europe/Berlin"
    assert [p["start"] for p in series["points"]] == [
        "2026-03-28T00:00:00+01:00",
        "2026-03-29T00:00:00+01:00",
        "2026-03-30T00:00:00+02:00",
    ]
    assert [p["energy_kwh"] for p in series["points"]] == pytest.approx([0.5, 0.5, 0.0])
    assert series["points"][1]["power_kw"] == pytest.approx(0.5 / 23, abs=1e-6)  # 23 hours

    in_utc = await tenant.api.get(
        f"/timeseries/stations/{station_id}", params=period | {"timezone": "UTC"}
    )
    assert [p["energy_kwh"] for p in in_utc.json()["points"]] == pytest.approx([1.0, 0.0, 0.0])
    assert in_utc.json()["points"][1]["start"] == "2026-03-29T00:00:00Z"

    availability = await tenant.api.get(
        f"/timeseries/stations/{station_id}/availability", params=period
    )
    assert availability.status_code == 200, availability.text
    assert availability.json()["timezone"] == "Europe/Berlin"
    assert availability.json()["points"][2]["start"] == "2026-03-30T00:00:00+02:00"
    site = await tenant.api.get(f"/timeseries/locations/{location_id}", params=period)
    assert site.json()["points"] == series["points"]
    session = await tenant.api.get(f"/timeseries/sessions/{transaction_id}", params=period)
    assert session.json()["timezone"] == "Europe/Berlin"
    wrong = await tenant.api.get(
        f"/timeseries/stations/{station_id}", params=period | {"timezone": "Nowhere/Land"}
    )
    assert wrong.status_code == 422
    assert wrong.headers["content-type"].startswith("application/problem+json")


async def located_station(tenant: Tenant, location_name: str, timezone: str) -> tuple[str, str]:
    """A registered station at a new location in `timezone`: (station id, location id)."""
    location = await tenant.api.post(
        "/locations", json={"name": location_name, "timezone": timezone}
    )
    station_id = await register(tenant)
    placed = await tenant.api.patch(
        f"/stations/{station_id}", json={"location_id": location.json()["id"]}
    )
    assert placed.status_code == 200, placed.text
    return station_id, str(location.json()["id"])


async def energy_readings(
    station: ScriptedStation, transaction_id: int, readings: tuple[tuple[str, int], ...]
) -> None:
    """The transaction's energy register read at each (timestamp, Wh), one MeterValues each."""
    for clock, wh in readings:
        await station.ok(
            "MeterValues",
            {
                "connectorId": 1,
                "transactionId": transaction_id,
                "meterValue": [
                    {"timestamp": clock, "sampledValue": [{"value": str(wh), "measurand": ENERGY}]}
                ],
            },
        )
