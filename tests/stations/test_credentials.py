"""Station credentials over their life (OCPP 1.6 security whitepaper, 2.0.1 A01), over real
connections: a password the station accepts from the CSMS is pending until the station
connects with it, then the old one is retired; rotating through the API drops the live
session; replaced connections and profile changes are security events."""

from typing import Any

from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.commands.conftest import command, register
from tests.commands.station import ScriptedStation, scripted_station
from tests.commands.v201.conftest import scripted_2x
from tests.conftest import Tenant
from tests.protocol.conftest import eventually
from tests.protocol.test_handshake import refusal
from tests.support.ocpp_client import PASSWORD, basic_auth, raw_station

NEW = "a-brand-new-station-password"


async def admitted(
    tenant: Tenant, station_id: str, password: str, protocol: str = "ocpp1.6"
) -> bool:
    """Whether a handshake with `password` is admitted (a refusal must be the plain 401)."""
    try:
        async with raw_station(tenant.server.ocpp_url, station_id, password, protocol):
            return True
    except InvalidStatus as refused:
        assert refused.response.status_code == 401
        return False


async def security_types(tenant: Tenant, station_id: str) -> list[str]:
    answer = await tenant.api.get("/security-events", params={"station_id": station_id})
    assert answer.status_code == 200, answer.text
    return sorted(item["type"] for item in answer.json()["items"])


async def test_a_v16_password_change_is_pending_until_the_station_uses_it(
    tenant: Tenant,
) -> None:
    station_id = await register(tenant)
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        answer = await command(
            tenant, station_id, "change-configuration", {"key": "AuthorizationKey", "value": NEW}
        )
        assert answer.status_code == 200 and answer.json()["status"] == "Accepted"
        assert station.calls("ChangeConfiguration") == [{"key": "AuthorizationKey", "value": NEW}]
    # The pending password admits only this station's own name.
    stranger = basic_auth("someone-else", NEW)
    assert await refusal(tenant.server.ocpp_url, station_id, stranger, ["ocpp1.6"]) == 401
    # Until the station connects with the new password, the old one still lets it in...
    assert await admitted(tenant, station_id, PASSWORD)
    # ...and its first connection with the new one retires the old one.
    assert await admitted(tenant, station_id, NEW)
    assert not await admitted(tenant, station_id, PASSWORD)
    assert await admitted(tenant, station_id, NEW)
    types = await security_types(tenant, station_id)
    assert "StationPasswordChangePending" in types and "StationPasswordRotated" in types


async def test_a_refused_password_change_changes_nothing(tenant: Tenant) -> None:
    station_id = await register(tenant)
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        station.answers["ChangeConfiguration"] = {"status": "Rejected"}
        answer = await command(
            tenant, station_id, "change-configuration", {"key": "AuthorizationKey", "value": NEW}
        )
        assert answer.json()["status"] == "Rejected"
    assert not await admitted(tenant, station_id, NEW)
    assert await admitted(tenant, station_id, PASSWORD)


async def test_a_v201_basic_auth_password_change_has_the_same_lifecycle(tenant: Tenant) -> None:
    station_id = await register(tenant)
    setting = {"component": "SecurityCtrlr", "variable": "BasicAuthPassword", "value": NEW}
    async with scripted_2x(tenant.server.ocpp_url, station_id, "ocpp2.0.1") as station:
        station.answers["SetVariables"] = {
            "setVariableResult": [
                {
                    "attributeStatus": "Accepted",
                    "component": {"name": "SecurityCtrlr"},
                    "variable": {"name": "BasicAuthPassword"},
                }
            ]
        }
        answer = await command(tenant, station_id, "set-variables", {"variables": [setting]})
        assert answer.status_code == 200 and answer.json()["status"] == "Accepted", answer.text
    assert await admitted(tenant, station_id, PASSWORD, "ocpp2.0.1")
    assert await admitted(tenant, station_id, NEW, "ocpp2.0.1")
    assert not await admitted(tenant, station_id, PASSWORD, "ocpp2.0.1")


async def closed(station: ScriptedStation) -> bool:
    return station.socket.close_code is not None


async def test_rotating_through_the_api_drops_the_live_session(tenant: Tenant) -> None:
    station_id = await register(tenant)
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        rotated = await tenant.api.post(f"/stations/{station_id}/password", json={"password": NEW})
        assert rotated.status_code == 200, rotated.text
        await eventually(lambda: closed(station))
    assert not await admitted(tenant, station_id, PASSWORD)
    assert await admitted(tenant, station_id, NEW)
    assert "StationPasswordSet" in await security_types(tenant, station_id)


async def test_a_password_set_by_patch_drops_the_live_session_too(tenant: Tenant) -> None:
    station_id = await register(tenant)
    async with scripted_station(tenant.server.ocpp_url, station_id) as station:
        patched = await tenant.api.patch(f"/stations/{station_id}", json={"password": NEW})
        assert patched.status_code == 200, patched.text
        await eventually(lambda: closed(station))


async def test_a_replaced_connection_is_a_security_event(tenant: Tenant) -> None:
    station_id = await register(tenant)
    url = tenant.server.ocpp_url
    async with scripted_station(url, station_id) as first, scripted_station(url, station_id):
        await eventually(lambda: closed(first))
    assert "ConnectionReplaced" in await security_types(tenant, station_id)


async def test_switching_to_profile_0_is_recorded(tenant: Tenant) -> None:
    station_id = await register(tenant)
    patched = await tenant.api.patch(f"/stations/{station_id}", json={"security_profile": 0})
    assert patched.status_code == 200, patched.text
    answer = await tenant.api.get(
        "/security-events",
        params={"station_id": station_id, "type": "ReconfigurationOfSecurityParameters"},
    )
    (event,) = answer.json()["items"]
    assert "no authentication" in event["tech_info"] and event["critical"] is True
    changes = await tenant.api.get(
        "/events", params={"station_id": station_id, "type": "station.security_profile_changed"}
    )
    items: list[dict[str, Any]] = changes.json()["items"]
    assert [(item["data"]["to"], item["data"]["actor"]) for item in items] == [
        (0, f"token:{(await tenant.api.get('/users/me')).json()['token_id']}")
    ]


async def test_unknown_ids_and_wrong_passwords_get_the_same_answer(tenant: Tenant) -> None:
    station_id = await register(tenant)
    url = tenant.server.ocpp_url
    ghost = tenant.unique("GHOST")
    answers = []
    for target, password in ((station_id, "wrong-wrong-wrong-wrong"), (ghost, PASSWORD)):
        answers.append(await refusal_body(url, target, password))
    assert answers[0] == answers[1] == (401, "authentication failed")


async def refusal_body(url: str, station_id: str, password: str) -> tuple[int, str]:
    try:
        async with connect(
            f"{url}/{station_id}",
            subprotocols=["ocpp1.6"],  # type: ignore[list-item]
            additional_headers=basic_auth(station_id, password),
            open_timeout=10,
        ):
            raise AssertionError("admitted")
    except InvalidStatus as refused:
        return refused.response.status_code, refused.response.body.decode()
