"""/api/v1/vehicles/{id}/telematics: readings posted (one or a batch, idempotent per instant),
read back as a series, and a state of charge that changes the plan of the vehicle's session."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api.factories import client_as
from tests.conftest import Tenant
from tests.load_management.conftest import TAG, simulated_site
from tests.permissions.test_authorization import created
from tests.support.payloads import recorded_fit


def _at(minutes: int) -> str:
    return (datetime(2026, 12, 7, 6, 0, tzinfo=UTC) + timedelta(minutes=minutes)).isoformat()


def _problem(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def _vehicle(tenant: Tenant, **fields: Any) -> str:
    body = {"name": tenant.unique("van"), "battery_kwh": 60, **fields}
    return str((await created(tenant, "/vehicles", body))["id"])


async def test_readings_are_idempotent_per_instant_and_read_back(tenant: Tenant) -> None:
    vehicle = await _vehicle(tenant)
    path = f"/vehicles/{vehicle}/telematics"
    one = await tenant.api.post(path, json={"measured_at": _at(0), "soc_percent": 40})
    assert one.status_code == 201, one.text
    batch = [
        {"measured_at": _at(m), "soc_percent": 40 + m, "odometer_km": 1000 + m}
        for m in range(0, 30, 10)
    ] + [{"measured_at": _at(5), "latitude": 52.52, "longitude": 13.405}]
    for _ in range(2):  # sent twice: the same series
        answer = await tenant.api.post(path, json=batch)
        assert answer.status_code == 201, answer.text
    series = (await tenant.api.get(path)).json()
    assert series["total"] == 4
    assert [r["soc_percent"] for r in series["items"]] == [40, None, 50, 60]
    assert series["items"][0]["odometer_km"] == 1000
    assert (series["items"][1]["latitude"], series["items"][1]["longitude"]) == (52.52, 13.405)
    window = await tenant.api.get(path, params={"since": _at(5), "until": _at(20), "limit": 1})
    assert window.json()["total"] == 2 and len(window.json()["items"]) == 1
    assert window.json()["items"][0]["measured_at"].startswith("2026-12-07T06:05")
    assert (
        await recorded_fit(tenant.api, "vehicle.telematics") == ["vehicle.telematics_received"] * 3
    )


async def test_a_viewer_reads_and_another_organization_sees_nothing(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    vehicle = await _vehicle(tenant)
    path = f"/vehicles/{vehicle}/telematics"
    assert (await tenant.api.post(path, json={"measured_at": _at(0), "soc_percent": 1})).is_success
    async with client_as(tenant, "viewer") as viewer:
        assert (await viewer.get(path)).json()["total"] == 1
        _problem(await viewer.post(path, json={"measured_at": _at(1), "soc_percent": 2}), 403)
    _problem(await other_tenant.api.get(path), 404)
    _problem(await other_tenant.api.post(path, json={"measured_at": _at(1), "soc_percent": 2}), 404)
    assert (await tenant.api.get(path)).json()["total"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {"measured_at": _at(0), "soc_percent": 101},
        {"measured_at": _at(0), "soc_percent": -1},
        {"measured_at": _at(0), "soc_percent": "\U0001f50b"},
        {"measured_at": _at(0), "odometer_km": 1e300},
        {"measured_at": _at(0), "latitude": 91, "longitude": 0},
        {"measured_at": _at(0), "latitude": 10},
        {"measured_at": _at(0)},
        {"measured_at": "yesterday", "soc_percent": 5},
        {"measured_at": "9999-12-31T23:59:59Z", "soc_percent": 5},
        {"soc_percent": 5},
        {"measured_at": _at(0), "soc_percent": 5, "speed": 80},
        [],
        [{"measured_at": _at(0), "soc_percent": 5}] * 10_001,
        "\U0001f697",
    ],
    ids=range(14),
)
async def test_bad_readings_are_422(tenant: Tenant, body: Any) -> None:
    vehicle = await _vehicle(tenant)
    _problem(await tenant.api.post(f"/vehicles/{vehicle}/telematics", json=body), 422)
    assert (await tenant.api.get(f"/vehicles/{vehicle}/telematics")).json()["total"] == 0


async def test_a_telematics_soc_sets_the_sessions_energy_need(tenant: Tenant) -> None:
    """The vehicle on the session (by its ID tag) reports 50 %, then 70 %: the plan the control
    step makes (what-if reads and plans as a step does) needs 18, then 6 kWh to reach 80 %."""
    vehicle = await _vehicle(tenant, id_tag=f"{TAG}-0-1", target_soc_percent=80)
    options = {"meter_interval": 3600}  # no station SoC arrives after the readings
    async with simulated_site(
        tenant, 1, connectors=1, max_power_kw=11, station_options=options
    ) as site:
        await site.start(0)

        async def planned() -> dict[str, Any]:
            made = await tenant.api.post(f"/circuits/{site.circuit_id}/what-if", json={})
            assert made.status_code == 200, made.text
            (session,) = made.json()["sessions"]
            return dict(session)

        for soc, need in ((50, 18.0), (70, 6.0)):
            now = datetime.now(UTC).isoformat()
            posted = await tenant.api.post(
                f"/vehicles/{vehicle}/telematics", json={"measured_at": now, "soc_percent": soc}
            )
            assert posted.status_code == 201, posted.text
            assert (await planned())["energy_needed_kwh"] == pytest.approx(need)


async def test_a_reading_taken_before_the_session_began_sets_no_energy_need(
    tenant: Tenant,
) -> None:
    """A state of charge read before the session started is another charge's: the vehicle's own
    setting (60 % of 60 kWh, to 80 %: 12 kWh) stands, not the 20 % read before (36 kWh); a
    reading taken during the session (50 %) sets it (18 kWh). The station reports no SoC, so
    nothing else would hide the old reading."""
    vehicle = await _vehicle(tenant, id_tag=f"{TAG}-0-1", soc_percent=60, target_soc_percent=80)
    options = {"meter_interval": 3600}
    async with simulated_site(
        tenant, 1, connectors=1, max_power_kw=11, station_options=options
    ) as site:
        (station,) = site.stations
        station.configuration.set(
            "MeterValuesSampledData", "Energy.Active.Import.Register,Power.Active.Import"
        )
        path = f"/vehicles/{vehicle}/telematics"
        before = (datetime.now(UTC) - timedelta(minutes=10)).isoformat()
        posted = await tenant.api.post(path, json={"measured_at": before, "soc_percent": 20})
        assert posted.status_code == 201, posted.text
        await site.start(0)

        async def need() -> float:
            made = await tenant.api.post(f"/circuits/{site.circuit_id}/what-if", json={})
            assert made.status_code == 200, made.text
            (session,) = made.json()["sessions"]
            return float(session["energy_needed_kwh"])

        assert await need() == pytest.approx(12.0, abs=0.1)
        now = datetime.now(UTC).isoformat()
        posted = await tenant.api.post(path, json={"measured_at": now, "soc_percent": 50})
        assert posted.status_code == 201, posted.text
        assert await need() == pytest.approx(18.0)
