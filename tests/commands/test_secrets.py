"""`GET /api/v1/commands*` never contains a station password: the audit is stored masked (request
body, wire request, answer), for 1.6 `AuthorizationKey` and 2.0.1 `BasicAuthPassword`, waited
for or polled, and so are the events and the message log about it (issue 10)."""

from typing import Any

from chargeyard.security.station_secrets import MASK
from tests.api.factories import client_as
from tests.commands.conftest import command, register
from tests.commands.station import scripted_station
from tests.commands.v201.conftest import scripted_2x
from tests.conftest import Tenant
from tests.protocol.conftest import eventually

SECRET = "do-not-show-this-password-anywhere"


async def everything_readable(tenant: Tenant, station_id: str, command_id: str) -> str:
    """Every response a viewer can read about the station's commands, events and frames."""
    async with client_as(tenant, "viewer") as viewer:
        texts = []
        for path, params in (
            ("/commands", {"station_id": station_id}),
            (f"/commands/{command_id}", {}),
            ("/events", {"station_id": station_id}),
            ("/message-log", {"station_id": station_id}),
        ):
            answer = await viewer.get(path, params=params)
            assert answer.status_code == 200, (path, answer.text)
            texts.append(answer.text)
    return "\n".join(texts)


async def audit(tenant: Tenant, command_id: str) -> dict[str, Any]:
    answer = await tenant.api.get(f"/commands/{command_id}")
    assert answer.status_code == 200
    return dict(answer.json())


async def test_an_authorization_key_is_masked_in_the_audit(tenant: Tenant) -> None:
    station_id = await register(tenant)
    body = {"key": "AuthorizationKey", "value": SECRET}
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        answer = await command(tenant, station_id, "change-configuration", body)
        assert answer.status_code == 200, answer.text
        assert station.calls("ChangeConfiguration") == [body]  # the station got the real one
    record = await audit(tenant, answer.json()["command_id"])
    assert record["request"] == {"key": "AuthorizationKey", "value": MASK}
    assert record["ocpp_request"] == {"key": "AuthorizationKey", "value": MASK}

    async def logged() -> bool:
        frames = await tenant.api.get("/message-log", params={"station_id": station_id})
        return "ChangeConfiguration" in frames.text

    await eventually(logged)
    assert SECRET not in await everything_readable(tenant, station_id, record["id"])


async def test_a_polled_command_is_stored_masked_from_the_start(tenant: Tenant) -> None:
    station_id = await register(tenant)
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        station.silent.add("ChangeConfiguration")
        answer = await command(
            tenant,
            station_id,
            "change-configuration",
            {"key": "AuthorizationKey", "value": SECRET},
            wait="false",
        )
        assert answer.status_code == 202, answer.text
        pending = answer.json()
        assert pending["request"]["value"] == MASK
        assert SECRET not in (await tenant.api.get("/commands")).text


async def test_other_configuration_values_are_kept(tenant: Tenant) -> None:
    station_id = await register(tenant)
    async with scripted_station(tenant.server.ocpp_url, station_id):
        answer = await command(
            tenant, station_id, "change-configuration", {"key": "HeartbeatInterval", "value": "60"}
        )
    record = await audit(tenant, answer.json()["command_id"])
    assert record["request"] == {"key": "HeartbeatInterval", "value": "60"}


async def test_a_basic_auth_password_variable_is_masked_in_the_audit(tenant: Tenant) -> None:
    station_id = await register(tenant)
    variables = [
        {"component": "SecurityCtrlr", "variable": "BasicAuthPassword", "value": SECRET},
        {"component": "OCPPCommCtrlr", "variable": "HeartbeatInterval", "value": "60"},
    ]
    async with scripted_2x(tenant.server.ocpp_url, station_id, "ocpp2.0.1") as station:
        station.answers["SetVariables"] = {
            "setVariableResult": [
                {
                    "attributeStatus": "Accepted",
                    "component": {"name": v["component"]},
                    "variable": {"name": v["variable"]},
                }
                for v in variables
            ]
        }
        answer = await command(tenant, station_id, "set-variables", {"variables": variables})
        assert answer.status_code == 200, answer.text
    record = await audit(tenant, answer.json()["command_id"])
    assert [v["value"] for v in record["request"]["variables"]] == [MASK, "60"]
    sent = record["ocpp_request"]["setVariableData"]
    assert [v["attributeValue"] for v in sent] == [MASK, "60"]
    assert SECRET not in await everything_readable(tenant, station_id, record["id"])
