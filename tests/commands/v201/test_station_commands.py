"""Every command over a real OCPP 2.0.1 and 2.1 connection: what the station receives, and how
each of its answers (accepting and refusing) comes back through the API."""

import pytest

from tests.commands.conftest import command
from tests.commands.v201.answers import ACCEPTING, REJECTING
from tests.commands.v201.cases import CONTROL_CASES, Case
from tests.commands.v201.conftest import PROTOCOLS, Online2x
from tests.commands.v201.device_cases import DEVICE_CASES
from tests.conftest import Tenant

CASES = CONTROL_CASES + DEVICE_CASES

# Answers that list per-item outcomes read as the first outcome that was not Accepted; an answer
# without any status (GetLocalListVersion) reads as Accepted.
REFUSED_STATUS = {
    "GetVariables": "UnknownVariable",
    "SetVariables": "Rejected",
    "SetVariableMonitoring": "UnknownVariable",
    "ClearVariableMonitoring": "NotFound",
    "GetLocalListVersion": "Accepted",
}
PARAMS = [
    pytest.param(case, protocol, id=f"{case.label}-{protocol}")
    for case in CASES
    for protocol in PROTOCOLS
]


@pytest.mark.parametrize(("case", "protocol"), PARAMS)
async def test_accepted(tenant: Tenant, online_2x: Online2x, case: Case, protocol: str) -> None:
    async with online_2x(protocol) as (station_id, station):
        response = await command(tenant, station_id, case.name, case.body)
        assert response.status_code == 200, response.text
        answer = response.json()
        [received] = station.calls(case.action)
        assert case.received(received) == case.wire
    assert answer["status"] == ACCEPTING[case.action].get("status", "Accepted")
    record = (await tenant.api.get(f"/commands/{answer['command_id']}")).json()
    assert (record["command"], record["state"], record["ocpp_action"]) == (
        case.name,
        "answered",
        case.action,
    )
    assert record["ocpp_request"] == received


@pytest.mark.parametrize(("case", "protocol"), PARAMS)
async def test_refused(tenant: Tenant, online_2x: Online2x, case: Case, protocol: str) -> None:
    async with online_2x(protocol) as (station_id, station):
        station.answers = dict(REJECTING)
        response = await command(tenant, station_id, case.name, case.body)
        assert response.status_code == 200, response.text
        assert len(station.calls(case.action)) == 1
    expected = REFUSED_STATUS.get(case.action) or REJECTING[case.action]["status"]
    assert response.json()["status"] == expected


async def test_results_come_back_in_snake_case(tenant: Tenant, online_2x: Online2x) -> None:
    async with online_2x() as (station_id, _station):
        version = await command(tenant, station_id, "get-local-list-version", {})
        variables = await command(
            tenant,
            station_id,
            "get-variables",
            {"variables": [{"component": "OCPPCommCtrlr", "variable": "HeartbeatInterval"}]},
        )
        schedule = await command(
            tenant, station_id, "get-composite-schedule", {"evse_id": 1, "duration": 3600}
        )
    assert version.json()["response"] == {"version_number": 7}
    [result] = variables.json()["response"]["get_variable_result"]
    assert (result["attribute_status"], result["attribute_value"]) == ("Accepted", "300")
    periods = schedule.json()["response"]["schedule"]["charging_schedule_period"]
    assert periods == [{"start_period": 0, "limit": 11000}]
