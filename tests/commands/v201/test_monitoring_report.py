"""`get-monitoring-report` end to end: the REST command, the project's simulated 2.0.1 / 2.1
station answering it with NotifyMonitoringReport parts, and the stored monitors those parts
leave (`GET /stations/{id}/device-model/monitors`). A read of every monitor replaces the stored
set once its last part arrives; a filtered read only updates what it lists; a repeated part
changes nothing; refusals are the other 2.x-only commands' (409 offline, 422 on 1.6 and for a
bad body, 403 for a viewer, 404 for another organization's station)."""

from typing import Any

import pytest

from chargeyard.simulator.station_v201 import SimulatedStationV201
from tests.api.factories import client_as
from tests.commands.conftest import Online, command, register
from tests.commands.v201.conftest import Online2x
from tests.commands.v201.test_simulated_station import STATIONS, simulated
from tests.conftest import Tenant
from tests.protocol.conftest import eventually

POWER = ("EVSE", 1, None, "Power")
SECOND_POWER = ("EVSE", 2, None, "Power")
CONNECTOR_TYPE = ("Connector", 1, 1, "ConnectorType")
READ = "get-monitoring-report"


async def stored(tenant: Tenant, station_id: str) -> dict[int, dict[str, Any]]:
    found = await tenant.api.get(f"/stations/{station_id}/device-model/monitors")
    return {m["monitor_id"]: m for m in found.json()["items"]}


async def reads(tenant: Tenant, station_id: str) -> list[dict[str, Any]]:
    found = await tenant.api.get(
        "/events", params={"type": "device_model.monitors_read", "station_id": station_id}
    )
    return [event["data"] for event in found.json()["items"]]  # newest first


async def known_to_both(tenant: Tenant, station_id: str, station: SimulatedStationV201) -> None:
    """The station installs monitors 1 and 2 and reports them of its own accord."""
    model = station.device_model
    assert model.monitor(POWER, "UpperThreshold", 22000.0, 4, None) == ("Accepted", 1)
    assert model.monitor(SECOND_POWER, "Delta", 2.0, 6, None) == ("Accepted", 2)
    await station.notify_monitoring_report()
    await eventually(lambda: _listed(tenant, station_id, {1, 2}))


async def _listed(tenant: Tenant, station_id: str, ids: set[int]) -> bool:
    return set(await stored(tenant, station_id)) == ids


@pytest.mark.parametrize("protocol", sorted(STATIONS))
async def test_a_read_of_every_monitor_replaces_the_stored_ones(
    tenant: Tenant, protocol: str
) -> None:
    async with simulated(tenant, protocol=protocol) as (station_id, station):
        await known_to_both(tenant, station_id, station)
        # Behind the CSMS's back: monitor 2 goes, monitor 3 comes, monitor 1 changes.
        del station.device_model.monitors[2]
        station.device_model.monitor(CONNECTOR_TYPE, "Periodic", 60.0, 8, None)
        station.device_model.monitor(POWER, "UpperThreshold", 11000.0, 3, 1)
        station.monitors_per_report = 1  # two parts: monitor 1, then monitor 3 (tbc false)
        answer = await command(tenant, station_id, READ, {})
        await eventually(lambda: _listed(tenant, station_id, {1, 3}))
        after = await stored(tenant, station_id)
        done = await reads(tenant, station_id)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "Accepted"
    record = (await tenant.api.get(f"/commands/{answer.json()['command_id']}")).json()
    assert (record["command"], record["ocpp_action"]) == (READ, "GetMonitoringReport")
    request_id = record["ocpp_request"]["requestId"]
    assert 0 < request_id < 2**31 and set(record["ocpp_request"]) == {"requestId"}
    assert (after[1]["value"], after[1]["severity"]) == (11000.0, 3)
    assert (after[3]["component_name"], after[3]["variable_name"]) == ("Connector", "ConnectorType")
    assert (after[3]["type"], after[3]["report_request_id"]) == ("Periodic", request_id)
    assert done == [
        {
            "station_id": station_id,
            "request_id": request_id,
            "whole": True,
            "listed": 2,
            "removed": 1,
        }
    ]


async def test_a_filtered_read_only_updates_what_it_lists(tenant: Tenant) -> None:
    async with simulated(tenant) as (station_id, station):
        await known_to_both(tenant, station_id, station)
        del station.device_model.monitors[2]
        station.device_model.monitor(POWER, "UpperThreshold", 7000.0, 2, 1)
        body = {"variables": [{"component": "EVSE", "evse_id": 1, "variable": "Power"}]}
        answer = await command(tenant, station_id, READ, body)

        async def updated() -> bool:
            return (await stored(tenant, station_id))[1]["value"] == 7000.0

        await eventually(updated)
        after = await stored(tenant, station_id)
        by_type = await command(tenant, station_id, READ, {"monitoring_criteria": ["Periodic"]})
        done = await reads(tenant, station_id)
    assert answer.json()["status"] == "Accepted"
    assert set(after) == {1, 2}  # monitor 2 was not asked about: it stays
    assert by_type.status_code == 422  # not a criterion: PeriodicMonitoring is
    assert [(d["whole"], d["listed"], d["removed"]) for d in done] == [(False, 1, 0)]


async def test_nothing_to_report_empties_a_whole_read_and_keeps_a_filtered_one(
    tenant: Tenant,
) -> None:
    async with simulated(tenant) as (station_id, station):
        await known_to_both(tenant, station_id, station)
        station.device_model.monitors.clear()
        periodic = await command(
            tenant, station_id, READ, {"monitoring_criteria": ["PeriodicMonitoring"]}
        )
        kept = await stored(tenant, station_id)
        whole = await command(tenant, station_id, READ, {})
        emptied = await stored(tenant, station_id)
        done = await reads(tenant, station_id)
    assert periodic.json()["status"] == whole.json()["status"] == "EmptyResultSet"
    assert set(kept) == {1, 2} and emptied == {}
    assert [(d["whole"], d["listed"], d["removed"]) for d in done] == [(True, 0, 2), (False, 0, 0)]


def part(request_id: int, seq_no: int, monitor_id: int, tbc: bool) -> dict[str, Any]:
    return {
        "requestId": request_id,
        "seqNo": seq_no,
        "generatedAt": "2026-01-01T10:00:00Z",
        "tbc": tbc,
        "monitor": [
            {
                "component": {"name": "EVSE", "evse": {"id": 1}},
                "variable": {"name": "Power"},
                "variableMonitoring": [
                    {
                        "id": monitor_id,
                        "transaction": False,
                        "value": 1000 * monitor_id,
                        "type": "UpperThreshold",
                        "severity": 5,
                    }
                ],
            }
        ],
    }


async def test_repeated_parts_change_nothing(tenant: Tenant, online_2x: Online2x) -> None:
    """A station that sends each part of a whole read twice (a retry after a lost answer):
    the read finishes once, with the monitors of both parts and no other."""
    async with online_2x("ocpp2.0.1") as (station_id, station):
        await station.ok("NotifyMonitoringReport", part(900, 0, 5, tbc=False))
        answer = await command(tenant, station_id, READ, {})
        [sent] = station.calls("GetMonitoringReport")
        request_id = sent["requestId"]
        for message in (
            part(request_id, 0, 1, tbc=True),
            part(request_id, 0, 1, tbc=True),
            part(request_id, 1, 2, tbc=False),
            part(request_id, 1, 2, tbc=False),
            part(request_id, 0, 1, tbc=True),
        ):
            assert await station.ok("NotifyMonitoringReport", message) == {}
        after = await stored(tenant, station_id)
        done = await reads(tenant, station_id)
    assert answer.json()["status"] == "Accepted"
    assert sorted(after) == [1, 2] and after[2]["value"] == 2000.0
    assert done == [
        {
            "station_id": station_id,
            "request_id": request_id,
            "whole": True,
            "listed": 2,
            "removed": 1,
        }
    ]


async def test_refusals_match_the_other_2x_only_commands(
    tenant: Tenant, other_tenant: Tenant, online: Online
) -> None:
    offline_id = await register(tenant)
    offline = await command(tenant, offline_id, READ, {})
    async with online() as (v16_id, v16_station):
        on_16 = await command(tenant, v16_id, READ, {})
        report_on_16 = await command(tenant, v16_id, "get-report", {})
        assert v16_station.calls("GetMonitoringReport") == []
    async with simulated(tenant) as (station_id, station):
        async with client_as(tenant, "viewer") as viewer:
            by_viewer = await viewer.post(f"/stations/{station_id}/commands/{READ}", json={})
        foreign = await other_tenant.api.post(f"/stations/{station_id}/commands/{READ}", json={})
        bad = [
            await command(tenant, station_id, READ, body)
            for body in (
                {"request_id": 2**63},
                {"request_id": "🔌"},
                {"request_id": -1},
                {"monitoring_criteria": ["🔌"]},
                {"monitoring_criteria": "ThresholdMonitoring"},
                {"variables": [{"component": "x" * 51}]},
                {"variables": [{"component": "EVSE", "evse_id": "one"}]},
                {"variables": {"component": "EVSE"}},
                {"surprise": True},
            )
        ]
        installed = station.device_model.monitors  # untouched by the refused commands
        monitors = await stored(tenant, station_id)
    assert offline.status_code == 409, offline.text
    assert on_16.status_code == report_on_16.status_code == 422
    assert "get-monitoring-report is not available" in on_16.json()["detail"]
    assert by_viewer.status_code == 403 and foreign.status_code == 404
    assert [b.status_code for b in bad] == [422] * len(bad), [b.text for b in bad]
    assert all(b.headers["content-type"] == "application/problem+json" for b in bad)
    assert installed == {} and monitors == {}
