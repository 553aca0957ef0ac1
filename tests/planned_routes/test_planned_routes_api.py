"""/api/v1/vehicles/{id}/routes: planned trips kept and read back, and the next one setting the
departure and the target of the vehicle's session in the plan."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api.factories import client_as
from tests.conftest import Tenant
from tests.load_management.conftest import TAG, simulated_site
from tests.permissions.test_authorization import created
from tests.support.payloads import recorded_fit


def _in(hours: float) -> datetime:
    return (datetime.now(UTC) + timedelta(hours=hours)).replace(second=0, microsecond=0)


def _problem(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def _vehicle(tenant: Tenant, **fields: Any) -> str:
    body = {"name": tenant.unique("van"), "battery_kwh": 60, **fields}
    return str((await created(tenant, "/vehicles", body))["id"])


async def test_routes_are_kept_by_departure_and_deleted(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    vehicle = await _vehicle(tenant)
    path = f"/vehicles/{vehicle}/routes"
    late = await created(
        tenant, path, {"departs_at": _in(5).isoformat(), "energy_kwh": 30, "distance_km": 180}
    )
    early = await created(
        tenant, path, {"departs_at": _in(2).isoformat(), "target_soc_percent": 90}
    )
    assert (late["energy_kwh"], late["target_soc_percent"], late["distance_km"]) == (30, None, 180)
    listed = (await tenant.api.get(path)).json()
    assert [r["id"] for r in listed["items"]] == [early["id"], late["id"]]
    window = await tenant.api.get(path, params={"since": _in(3).isoformat()})
    assert [r["id"] for r in window.json()["items"]] == [late["id"]]

    async with client_as(tenant, "viewer") as viewer:
        assert (await viewer.get(path)).json()["total"] == 2
        _problem(
            await viewer.post(path, json={"departs_at": _in(1).isoformat(), "energy_kwh": 1}), 403
        )
        _problem(await viewer.delete(f"{path}/{early['id']}"), 403)
    _problem(await other_tenant.api.get(path), 404)
    _problem(await other_tenant.api.delete(f"{path}/{early['id']}"), 404)
    other = await _vehicle(other_tenant)
    _problem(await other_tenant.api.delete(f"/vehicles/{other}/routes/{early['id']}"), 404)
    _problem(await tenant.api.delete(f"/vehicles/{vehicle}/routes/not-a-route"), 404)

    assert (await tenant.api.delete(f"{path}/{early['id']}")).status_code == 204
    assert [r["id"] for r in (await tenant.api.get(path)).json()["items"]] == [late["id"]]
    assert await recorded_fit(tenant.api, "vehicle.route") == [
        "vehicle.route_planned",
        "vehicle.route_planned",
        "vehicle.route_removed",
    ]
    assert (await tenant.api.delete(f"/vehicles/{vehicle}")).status_code == 204
    _problem(await tenant.api.get(path), 404)


@pytest.mark.parametrize(
    "body",
    [
        {"energy_kwh": 10},
        {"departs_at": "\U0001f68c", "energy_kwh": 10},
        {"departs_at": "2020-01-01T00:00:00Z", "energy_kwh": 10},  # in the past
        {"departs_at": "FUTURE"},
        {"departs_at": "FUTURE", "energy_kwh": 10, "target_soc_percent": 80},
        {"departs_at": "FUTURE", "energy_kwh": 0},
        {"departs_at": "FUTURE", "energy_kwh": 1e300},
        {"departs_at": "FUTURE", "energy_kwh": "lots"},
        {"departs_at": "FUTURE", "target_soc_percent": 101},
        {"departs_at": "FUTURE", "energy_kwh": 10, "distance_km": -1},
        {"departs_at": "FUTURE", "energy_kwh": 10, "via": "Berlin"},
        [{"departs_at": "FUTURE", "energy_kwh": 10}],
    ],
    ids=range(12),
)
async def test_bad_routes_are_422(tenant: Tenant, body: Any) -> None:
    vehicle = await _vehicle(tenant)
    if isinstance(body, dict) and body.get("departs_at") == "FUTURE":
        body = {**body, "departs_at": _in(1).isoformat()}
    _problem(await tenant.api.post(f"/vehicles/{vehicle}/routes", json=body), 422)
    assert (await tenant.api.get(f"/vehicles/{vehicle}/routes")).json()["total"] == 0


async def test_the_next_route_sets_the_sessions_departure_and_target(tenant: Tenant) -> None:
    """At 50 % of 60 kWh (telematics), the vehicle usually charges to 80 % (18 kWh). A route at
    90 % in 3 h makes it 24 kWh by then; an earlier one taking 42 kWh (70 %) makes it 12 kWh in
    1 h; deleting the routes gives the vehicle's own need back."""
    vehicle = await _vehicle(tenant, id_tag=f"{TAG}-0-1", target_soc_percent=80)
    options = {"meter_interval": 3600}  # no station SoC arrives after the telematics one
    async with simulated_site(
        tenant, 1, connectors=1, max_power_kw=11, station_options=options
    ) as site:
        await site.start(0)
        soc = {"measured_at": datetime.now(UTC).isoformat(), "soc_percent": 50}
        assert (await tenant.api.post(f"/vehicles/{vehicle}/telematics", json=soc)).is_success

        async def planned() -> tuple[float, datetime | None]:
            made = await tenant.api.post(f"/circuits/{site.circuit_id}/what-if", json={})
            assert made.status_code == 200, made.text
            (session,) = made.json()["sessions"]
            departure = session["departure"]
            return session["energy_needed_kwh"], departure and datetime.fromisoformat(departure)

        need, departure = await planned()
        assert need == pytest.approx(18.0) and departure is None
        path = f"/vehicles/{vehicle}/routes"
        in_1h, in_3h = _in(1), _in(3)
        later = {"departs_at": in_3h.isoformat(), "target_soc_percent": 90}
        far = await created(tenant, path, later)
        assert await planned() == (pytest.approx(24.0), in_3h)
        sooner = {"departs_at": in_1h.isoformat(), "energy_kwh": 42}
        near = await created(tenant, path, sooner)
        assert await planned() == (pytest.approx(12.0), in_1h)
        for route in (near, far):
            assert (await tenant.api.delete(f"{path}/{route['id']}")).status_code == 204
        assert await planned() == (pytest.approx(18.0), None)
