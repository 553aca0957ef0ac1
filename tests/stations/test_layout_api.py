"""EVSEs and connectors planned through the API, and reconciled with what stations report."""

import asyncio
from typing import Any

import pytest

from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.protocol.v201.conftest import V2Stations

T2_SOCKET = {
    "connector_id": 1,
    "standard": "IEC_62196_T2",
    "format": "SOCKET",
    "power_type": "AC_3_PHASE",
    "max_voltage": 230,
    "max_amperage": 32,
}


async def plan(tenant: Tenant, station_id: str, evse_id: int, *connectors: dict[str, Any]) -> Any:
    return await tenant.api.post(
        f"/stations/{station_id}/evses",
        json={"evse_id": evse_id, "connectors": list(connectors)},
    )


async def test_an_evse_is_planned_read_changed_and_removed(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    before = (await tenant.api.get(f"/stations/{station_id}")).headers["etag"]
    created = await plan(tenant, station_id, 1, T2_SOCKET)
    assert created.status_code == 201, created.text
    evse = created.json()
    assert evse["evse_id"] == 1 and evse["planned"] is True
    assert evse["ocpi_status"] == "UNKNOWN"  # in Production but offline
    (connector,) = evse["connectors"]
    assert {k: connector[k] for k in T2_SOCKET} == T2_SOCKET
    assert connector["max_electric_power"] == 230 * 32 * 3
    assert connector["conflicts"] == []
    assert created.headers["etag"] != before  # a layout change is a configuration change

    assert (await plan(tenant, station_id, 1, T2_SOCKET)).status_code == 409
    bad = await plan(tenant, station_id, 2, T2_SOCKET | {"standard": "T2"})
    assert bad.status_code == 422

    listed = (await tenant.api.get(f"/stations/{station_id}/evses")).json()
    assert [e["evse_id"] for e in listed["items"]] == [1]
    one = await tenant.api.get(f"/stations/{station_id}/evses/1")
    assert one.json()["connectors"][0]["standard"] == "IEC_62196_T2"
    assert (await tenant.api.get(f"/stations/{station_id}/evses/9")).status_code == 404

    patched = await tenant.api.patch(
        f"/stations/{station_id}/evses/1", json={"physical_reference": "Left"}
    )
    assert patched.status_code == 200 and patched.json()["physical_reference"] == "Left"

    dc = {"connector_id": 2, "standard": "IEC_62196_T2_COMBO", "format": "CABLE"}
    dc |= {"power_type": "DC", "max_voltage": 920, "max_amperage": 200}
    added = await tenant.api.post(f"/stations/{station_id}/evses/1/connectors", json=dc)
    assert added.status_code == 201, added.text
    assert added.json()["max_electric_power"] == 184_000
    changed = await tenant.api.patch(
        f"/stations/{station_id}/evses/1/connectors/2", json={"max_amperage": 100}
    )
    assert changed.json()["max_electric_power"] == 92_000
    explicit = await tenant.api.patch(
        f"/stations/{station_id}/evses/1/connectors/2", json={"max_electric_power": 50_000}
    )
    assert explicit.json()["max_electric_power"] == 50_000
    connectors = (await tenant.api.get(f"/stations/{station_id}/evses/1/connectors")).json()
    assert [c["connector_id"] for c in connectors["items"]] == [1, 2]

    removed = await tenant.api.delete(f"/stations/{station_id}/evses/1/connectors/2")
    assert removed.status_code == 204
    assert (await tenant.api.delete(f"/stations/{station_id}/evses/1")).status_code == 204
    assert (await stations.detail(station_id))["evses"] == []


async def test_viewers_read_and_other_tenants_see_nothing(
    tenant: Tenant, other_tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    assert (await plan(tenant, station_id, 1, T2_SOCKET)).status_code == 201
    assert (await other_tenant.api.get(f"/stations/{station_id}/evses")).status_code == 404
    assert (await plan(other_tenant, station_id, 2, T2_SOCKET)).status_code == 404


async def test_layout_changes_are_guarded_by_the_stations_etag(
    tenant: Tenant, stations: Stations
) -> None:
    """Two operators editing one station's layout: each change may name the station's ETag
    (read with the station or its EVSEs); the second with a stale one gets 412, not a silent
    overwrite, and nothing changes."""
    api = tenant.api
    station_id = await stations.register()
    assert (await plan(tenant, station_id, 1, T2_SOCKET)).status_code == 201
    read = await api.get(f"/stations/{station_id}/evses/1/connectors/1")
    etag = read.headers["etag"]
    assert etag == (await api.get(f"/stations/{station_id}")).headers["etag"]
    for path in ("/evses", "/evses/1", "/evses/1/connectors"):
        assert (await api.get(f"/stations/{station_id}{path}")).headers["etag"] == etag

    first = await api.patch(
        f"/stations/{station_id}/evses/1/connectors/1",
        json={"max_amperage": 16},
        headers={"If-Match": etag},
    )
    assert first.status_code == 200, first.text
    assert first.headers["etag"] != etag
    stale = {"If-Match": etag}
    for method, path, body in (
        ("PATCH", "/evses/1/connectors/1", {"max_amperage": 20}),
        ("PATCH", "/evses/1", {"physical_reference": "Left"}),
        ("POST", "/evses", {"evse_id": 2, "connectors": []}),
        ("POST", "/evses/1/connectors", {"connector_id": 2}),
        ("DELETE", "/evses/1/connectors/1", None),
        ("DELETE", "/evses/1", None),
    ):
        answer = await api.request(
            method, f"/stations/{station_id}{path}", json=body, headers=stale
        )
        assert answer.status_code == 412, (method, path, answer.text)
        assert answer.headers["content-type"] == "application/problem+json"
    detail = await stations.detail(station_id)
    assert [(e["evse_id"], len(e["connectors"])) for e in detail["evses"]] == [(1, 1)]
    assert detail["evses"][0]["connectors"][0]["max_amperage"] == 16
    # The current ETag (or none) goes through.
    fresh = {"If-Match": first.headers["etag"]}
    again = await api.patch(
        f"/stations/{station_id}/evses/1", json={"physical_reference": "L"}, headers=fresh
    )
    assert again.status_code == 200, again.text


@pytest.mark.parametrize(
    ("path", "field"),
    [("/evses/1/connectors/1", "max_amperage"), ("/evses/1", "physical_reference"), ("", "name")],
)
async def test_concurrent_changes_with_one_etag_let_exactly_one_through(
    path: str, field: str, tenant: Tenant, stations: Stations
) -> None:
    """The station's row is locked before If-Match is checked (PostgreSQL would otherwise let
    several through; SQLite has one writer anyway)."""
    station_id = await stations.register()
    assert (await plan(tenant, station_id, 1, T2_SOCKET)).status_code == 201
    url = f"/stations/{station_id}{path}"
    etag = (await tenant.api.get(url)).headers["etag"]
    values = [6 + n if field == "max_amperage" else f"v{n}" for n in range(8)]
    answers = await asyncio.gather(
        *(tenant.api.patch(url, json={field: v}, headers={"If-Match": etag}) for v in values)
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [412] * 7, codes
    (winner,) = [a for a in answers if a.status_code == 200]
    assert (await tenant.api.get(url)).json()[field] == winner.json()[field]


async def test_evse_lists_refuse_unknown_parameters(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    assert (await plan(tenant, station_id, 1, T2_SOCKET)).status_code == 201
    for path in ("/evses", "/evses/1/connectors"):
        for params in ({"offset": 10**20}, {"bogus": "1"}, {"limit": "\U0001f525"}):
            answer = await tenant.api.get(f"/stations/{station_id}{path}", params=params)
            assert answer.status_code == 400, (path, params, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
    # An id no station can have is "not found", like any unknown one.
    for path in ("/stations/\U0001f525/evses", "/stations/\u00e9t\u00e9/evses/1/connectors/1"):
        answer = await tenant.api.get(path)
        assert answer.status_code == 404, answer.text


async def test_a_reported_connector_outside_the_plan_is_a_visible_conflict(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await stations.register()
    assert (await plan(tenant, station_id, 1, T2_SOCKET)).status_code == 201
    status = {"errorCode": "NoError", "status": "Available", "timestamp": "2026-01-01T10:00:00Z"}
    async with stations.booted(station_id) as station:
        await station.ok("StatusNotification", status | {"connectorId": 1})
        await station.ok("StatusNotification", status | {"connectorId": 2})
    evses = {e["evse_id"]: e for e in (await stations.detail(station_id))["evses"]}
    planned = evses[1]["connectors"][0]
    assert planned["status"] == "Available" and planned["standard"] == "IEC_62196_T2"
    assert planned["conflicts"] == []
    surprise = evses[2]["connectors"][0]
    assert surprise["planned"] is False
    assert [c["field"] for c in surprise["conflicts"]] == ["connector"]
    # Planning what the station reported adopts it and clears the conflict.
    adopted = await plan(tenant, station_id, 2, T2_SOCKET)
    assert adopted.status_code == 201, adopted.text
    assert adopted.json()["connectors"][0]["conflicts"] == []


async def test_a_reported_connector_type_fills_or_contradicts_the_plan(
    tenant: Tenant, v2: V2Stations
) -> None:
    station_id = await v2.register()
    assert (await plan(tenant, station_id, 1, T2_SOCKET)).status_code == 201
    assert (await plan(tenant, station_id, 2, {"connector_id": 1})).status_code == 201

    def connector_type(evse_id: int, value: str) -> dict[str, Any]:
        return {
            "component": {"name": "Connector", "evse": {"id": evse_id, "connectorId": 1}},
            "variable": {"name": "ConnectorType"},
            "variableAttribute": [{"type": "Actual", "value": value}],
            "variableCharacteristics": {"dataType": "string", "supportsMonitoring": False},
        }

    report = [connector_type(1, "cCCS2"), connector_type(2, "cType2")]
    async with v2.booted_v2(station_id) as station:
        await station.ok(
            "NotifyReport",
            {
                "requestId": 1,
                "generatedAt": "2026-01-01T10:00:00Z",
                "seqNo": 0,
                "reportData": report,
            },
        )
    evses = {e["evse_id"]: e["connectors"][0] for e in (await v2.detail(station_id))["evses"]}
    # EVSE 1 was planned as a Type 2 socket: the plan stays, the contradiction is shown.
    assert evses[1]["standard"] == "IEC_62196_T2" and evses[1]["connector_type"] == "cCCS2"
    assert sorted((c["field"], c["planned"], c["reported"]) for c in evses[1]["conflicts"]) == [
        ("format", "SOCKET", "CABLE"),
        ("standard", "IEC_62196_T2", "IEC_62196_T2_COMBO"),
    ]
    # EVSE 2 had no standard planned: the report fills it.
    assert (evses[2]["standard"], evses[2]["format"], evses[2]["conflicts"]) == (
        "IEC_62196_T2",
        "CABLE",
        [],
    )
    # The operator corrects the plan: the conflict goes.
    fixed = await tenant.api.patch(
        f"/stations/{station_id}/evses/1/connectors/1",
        json={"standard": "IEC_62196_T2_COMBO", "format": "CABLE", "power_type": "DC"},
    )
    assert fixed.json()["conflicts"] == []
