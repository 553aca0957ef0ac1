"""/api/v1/external-meters: meters on a circuit or a location, their readings (idempotent per
instant, read back as a series), and their load taken off the site's limit in the plan."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api.factories import client_as
from tests.conftest import Tenant
from tests.load_management.conftest import circuit, simulated_site, until
from tests.permissions.test_authorization import created
from tests.site_scopes.conftest import scoped_user
from tests.support.http import http_client
from tests.support.payloads import recorded_fit


def _at(minutes: int) -> str:
    return (datetime(2026, 12, 7, 6, 0, tzinfo=UTC) + timedelta(minutes=minutes)).isoformat()


def _problem(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"


async def test_meters_are_placed_and_their_readings_read_back(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    site = await circuit(tenant, max_power_kw=50)
    depot = (await created(tenant, "/locations", {"name": tenant.unique("Depot")}))["id"]
    heat_pump = await created(tenant, "/external-meters", {"name": "heat pump", "circuit_id": site})
    offices = await created(tenant, "/external-meters", {"name": "offices", "location_id": depot})
    listed = await tenant.api.get("/external-meters", params={"circuit_id": site})
    assert [m["id"] for m in listed.json()["items"]] == [heat_pump["id"]]

    path = f"/external-meters/{heat_pump['id']}/readings"
    batch = [{"measured_at": _at(m), "power_kw": 2 + m / 10} for m in range(0, 30, 10)]
    for _ in range(2):  # sent twice: the same series
        assert (await tenant.api.post(path, json=batch)).status_code == 201
    one = {"measured_at": _at(0), "power_kw": -1.5, "energy_kwh": 1234.5}  # replaces 06:00
    assert (await tenant.api.post(path, json=one)).status_code == 201
    series = (await tenant.api.get(path)).json()
    assert [(r["power_kw"], r["energy_kwh"]) for r in series["items"]] == [
        (-1.5, 1234.5),
        (3.0, None),
        (4.0, None),
    ]
    window = await tenant.api.get(path, params={"since": _at(10), "until": _at(20)})
    assert [r["power_kw"] for r in window.json()["items"]] == [3.0]

    # Moved onto the location: off its circuit.
    moved = await tenant.api.patch(
        f"/external-meters/{heat_pump['id']}", json={"location_id": depot}
    )
    assert (moved.json()["circuit_id"], moved.json()["location_id"]) == (None, depot)
    _problem(
        await tenant.api.patch(
            f"/external-meters/{offices['id']}", json={"circuit_id": site, "location_id": depot}
        ),
        422,
    )

    async with client_as(tenant, "viewer") as viewer:
        assert (await viewer.get(path)).json()["total"] == 3
        assert (await viewer.get("/external-meters")).json()["total"] == 2
        _problem(await viewer.post(path, json=one), 403)
        _problem(await viewer.post("/external-meters", json={"name": "x", "circuit_id": site}), 403)
        _problem(await viewer.delete(f"/external-meters/{offices['id']}"), 403)
    _problem(await other_tenant.api.get(path), 404)
    _problem(await other_tenant.api.post(path, json=one), 404)
    _problem(await other_tenant.api.get(f"/external-meters/{offices['id']}"), 404)
    foreign = {"name": "mine", "circuit_id": site}
    _problem(await other_tenant.api.post("/external-meters", json=foreign), 422)

    assert (await tenant.api.delete(f"/external-meters/{heat_pump['id']}")).status_code == 204
    _problem(await tenant.api.get(path), 404)
    assert await recorded_fit(tenant.api, "external_meter.") == [
        "external_meter.created",
        "external_meter.created",
        *["external_meter.readings_received"] * 3,
        "external_meter.updated",
        "external_meter.deleted",
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "m"},
        {"name": "m", "circuit_id": "C", "location_id": "L"},
        {"name": "", "circuit_id": "C"},
        {"name": "\U0001f4a1" * 201, "circuit_id": "C"},
        {"name": 7, "circuit_id": "C"},
        {"name": "m", "circuit_id": "no-such-circuit"},
    ],
    ids=range(6),
)
async def test_bad_meters_are_422(tenant: Tenant, body: dict[str, Any]) -> None:
    site = await circuit(tenant, max_power_kw=50)
    if body.get("circuit_id") == "C":
        body = {**body, "circuit_id": site}
    if body.get("location_id") == "L":
        body = {**body, "location_id": "x"}
    _problem(await tenant.api.post("/external-meters", json=body), 422)


@pytest.mark.parametrize(
    "body",
    [
        {"measured_at": _at(0)},
        {"measured_at": _at(0), "power_kw": 1e300},
        {"measured_at": _at(0), "power_kw": "\U0001f50c"},
        {"measured_at": _at(0), "power_kw": 1, "energy_kwh": -1},
        {"measured_at": "now", "power_kw": 1},
        {"power_kw": 1},
        {"measured_at": _at(0), "power_kw": 1, "voltage": 230},
        [],
        "\U0001f50c",
    ],
    ids=range(9),
)
async def test_bad_readings_are_422(tenant: Tenant, body: Any) -> None:
    site = await circuit(tenant, max_power_kw=50)
    meter = await created(tenant, "/external-meters", {"name": "m", "circuit_id": site})
    path = f"/external-meters/{meter['id']}/readings"
    _problem(await tenant.api.post(path, json=body), 422)
    assert (await tenant.api.get(path)).json()["total"] == 0


async def test_metered_load_is_taken_off_the_site_limit(tenant: Tenant) -> None:
    """Two sessions share 11 kW (5.5 kW each); a meter on the site's circuit reading 1.2 kW and
    one on its location reading 0.8 kW leave 9 kW (4.5 kW each), as baseload would, in the plan
    and on the stations."""
    depot = (await created(tenant, "/locations", {"name": tenant.unique("Depot")}))["id"]
    async with simulated_site(tenant, 2, connectors=1, max_power_kw=11, location_id=depot) as site:
        await site.start(0)
        await site.start(1)

        async def planned() -> list[float]:
            made = await tenant.api.post(f"/circuits/{site.circuit_id}/what-if", json={})
            assert made.status_code == 200, made.text
            return sorted(s["power_kw"] for s in made.json()["sessions"])

        assert await planned() == [5.5, 5.5]
        on_circuit = {"name": "heat pump", "circuit_id": site.circuit_id}
        on_location = {"name": "offices", "location_id": depot}
        for body, kw in ((on_circuit, 1.2), (on_location, 0.8)):
            meter = await created(tenant, "/external-meters", body)
            reading = {"measured_at": datetime.now(UTC).isoformat(), "power_kw": kw}
            posted = await tenant.api.post(f"/external-meters/{meter['id']}/readings", json=reading)
            assert posted.status_code == 201, posted.text
        assert await planned() == [pytest.approx(4.5), pytest.approx(4.5)]
        # The readings' events start a step at once (a periodic one would come within 60 s):
        # the stations are lowered to what the plan says.
        await until(lambda: _each_near(site.session_limits_w(), 4.5), within_s=20)


def _each_near(limits_w: list[float], kw: float) -> bool:
    return len(limits_w) == 2 and all(abs(w - kw * 1000) <= 60 for w in limits_w)


async def test_a_site_confined_user_sees_only_its_sites_meters(tenant: Tenant) -> None:
    mine = (await created(tenant, "/locations", {"name": tenant.unique("Mine")}))["id"]
    other = (await created(tenant, "/locations", {"name": tenant.unique("Other")}))["id"]
    my_circuit = await circuit(tenant, max_power_kw=50, location_id=mine)
    other_circuit = await circuit(tenant, max_power_kw=50, location_id=other)
    seen = [
        await created(tenant, "/external-meters", {"name": "a", "circuit_id": my_circuit}),
        await created(tenant, "/external-meters", {"name": "b", "location_id": mine}),
    ]
    hidden = [
        await created(tenant, "/external-meters", {"name": "c", "circuit_id": other_circuit}),
        await created(tenant, "/external-meters", {"name": "d", "location_id": other}),
    ]
    _, secret = await scoped_user(tenant, "viewer", [mine])
    headers = {"Authorization": f"Bearer {secret}"}
    async with http_client(base_url=str(tenant.api.base_url), headers=headers) as viewer:
        listed = (await viewer.get("/external-meters")).json()
        assert sorted(m["id"] for m in listed["items"]) == sorted(m["id"] for m in seen)
        for meter in hidden:
            _problem(await viewer.get(f"/external-meters/{meter['id']}"), 404)
            _problem(await viewer.get(f"/external-meters/{meter['id']}/readings"), 404)
        assert (await viewer.get(f"/external-meters/{seen[1]['id']}/readings")).status_code == 200
