"""Finding stations: recursive location filter, filters, search, sort, strict query strings;
and the configuration revision kept apart from live status."""

from typing import Any

from tests.conftest import Tenant
from tests.protocol.conftest import Stations, eventually

BOOT = {"chargePointVendor": "Acme", "chargePointModel": "Wallbox 22"}
STATUS = {"errorCode": "NoError", "timestamp": "2026-01-01T10:00:00Z"}


async def ids(tenant: Tenant, **params: Any) -> list[str]:
    response = await tenant.api.get("/stations", params=params)
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()["items"]]


async def location(tenant: Tenant, parent_id: str | None = None) -> str:
    body = {"name": tenant.unique("Site"), "parent_id": parent_id}
    response = await tenant.api.post("/locations", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_a_location_filter_includes_the_locations_below_it(
    tenant: Tenant, stations: Stations
) -> None:
    campus = await location(tenant)
    car_park = await location(tenant, campus)
    level_2 = await location(tenant, car_park)
    depot = await location(tenant)
    at_campus = await stations.register(location_id=campus)
    on_level_2 = await stations.register(location_id=level_2)
    await stations.register(location_id=depot)
    assert sorted(await ids(tenant, location_id=campus)) == sorted([at_campus, on_level_2])
    assert await ids(tenant, location_id=car_park) == [on_level_2]
    flat = await ids(tenant, location_id=campus, include_descendants="false")
    assert flat == [at_campus]


async def test_filters_search_and_sort(tenant: Tenant, stations: Stations) -> None:
    alpha = await stations.register(name="Alpha bay", deploy_state="Planned")
    beta = await stations.register(name="Beta bay", capabilities=["RFID_READER"])
    gamma = await stations.register(name="Gamma")
    async with stations.booted(beta) as station:
        await station.ok("StatusNotification", STATUS | {"connectorId": 1, "status": "Faulted"})
        assert await ids(tenant, connected="true") == [beta]
    boot = BOOT | {"chargePointSerialNumber": "SN-GAMMA-7", "firmwareVersion": "1.2.3"}
    async with stations.booted(gamma) as station:
        assert (await station.ok("BootNotification", boot))["status"] == "Accepted"
    assert await ids(tenant, status="Faulted") == [beta]
    assert await ids(tenant, deploy_state="Planned") == [alpha]
    assert sorted(await ids(tenant, vendor="acme")) == sorted([beta, gamma])
    assert await ids(tenant, firmware_version="1.2.3") == [gamma]
    assert await ids(tenant, search="sn-gamma") == [gamma]
    assert sorted(await ids(tenant, search="BAY")) == sorted([alpha, beta])
    assert await ids(tenant, sort="-name") == [gamma, beta, alpha]
    assert await ids(tenant, sort="deploy_state,name") == [alpha, beta, gamma]
    detail = await stations.detail(beta)
    assert detail["capabilities"] == ["RFID_READER"] and detail["deploy_state"] == "Production"


async def test_search_takes_its_text_literally(tenant: Tenant, stations: Stations) -> None:
    """'%' and '_' are characters to find, not LIKE wildcards that match every station."""
    plain = await stations.register(name="Bay 1")
    odd = await stations.register(name="50%_off \\ \u00e9t\u00e9 \U0001f50c")
    assert await ids(tenant, search="%") == [odd]
    assert await ids(tenant, search="_") == [odd]
    assert await ids(tenant, search="\\") == [odd]
    assert await ids(tenant, search="\u00c9T\u00c9") == [odd]
    assert await ids(tenant, search="\U0001f50c") == [odd]
    assert await ids(tenant, search="bay 1") == [plain]


async def test_unknown_or_malformed_query_parameters_are_400(tenant: Tenant) -> None:
    for params in (
        {"vendr": "Acme"},
        {"connected": "perhaps"},
        {"status": "Broken"},
        {"sort": "colour"},
        {"deploy_state": "Live"},
        {"updated_since": "yesterday"},
    ):
        answer = await tenant.api.get("/stations", params=params)
        assert answer.status_code == 400, (params, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"


async def test_status_moves_neither_the_etag_nor_updated_at(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    before = (await tenant.api.get(f"/stations/{station_id}")).json()
    assert before["status_changed_at"] is None
    async with stations.booted(station_id) as station:
        # The boot reported a vendor and model the station did not have: that is a change.
        booted = await tenant.api.get(f"/stations/{station_id}")
        await station.ok("StatusNotification", STATUS | {"connectorId": 1, "status": "Charging"})
        await station.ok("Heartbeat", {})
        during = await tenant.api.get(f"/stations/{station_id}")
        assert during.headers["etag"] == booted.headers["etag"]
        assert during.json()["updated_at"] == booted.json()["updated_at"]
        assert during.json()["status_changed_at"] > during.json()["updated_at"]
        cutoff = during.json()["status_changed_at"]
        assert station_id in await ids(tenant, status_changed_since=before["updated_at"])
        assert station_id not in await ids(tenant, status_changed_since=cutoff)
        assert station_id not in await ids(tenant, updated_since=booted.json()["updated_at"])
    # Going offline is a status change too, with its own timestamp, and still no new ETag.
    await eventually(lambda: _changed_since(tenant, station_id, cutoff))
    after = await tenant.api.get(f"/stations/{station_id}")
    assert after.headers["etag"] == booted.headers["etag"]
    # A PUT with the ETag read before all those status reports still applies.
    put = await tenant.api.put(
        f"/stations/{station_id}",
        json={
            "name": "Bay 1",
            "location_id": None,
            "security_profile": 1,
            "registration_status": "Accepted",
        },
        headers={"If-Match": booted.headers["etag"]},
    )
    assert put.status_code == 200, put.text
    # A second boot with the same hardware changes nothing either.
    async with stations.booted(station_id):
        pass
    again = await tenant.api.get(f"/stations/{station_id}")
    assert again.headers["etag"] == put.headers["etag"]


async def _changed_since(tenant: Tenant, station_id: str, since: str) -> bool:
    return station_id in await ids(tenant, status_changed_since=since)
