"""EVSEs and connectors planned through the API, and reconciled with what stations report."""

from typing import Any

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
