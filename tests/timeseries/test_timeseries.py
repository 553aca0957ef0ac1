"""GET /api/v1/timeseries over real REST: a real 1.6 station's session resampled, a station's
old hours served from the hourly rollups retention keeps, and availability per bucket."""

from datetime import UTC, datetime

from chargeyard.retention.models import MeterValueRollup
from chargeyard.storage.database import Database
from chargeyard.timeseries.domain import ENERGY
from tests.commands.conftest import Online, start_transaction
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
