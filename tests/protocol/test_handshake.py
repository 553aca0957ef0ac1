"""The OCPP WebSocket handshake: who is admitted, with which subprotocol, and what a connection
does to the station's state."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from chargeyard.organizations.service import ensure_organization, issue_token
from chargeyard.settings import Settings
from chargeyard.stations.models import Station
from chargeyard.storage.database import Database
from tests.conftest import Tenant
from tests.protocol.conftest import BOOT, Stations, events_of, eventually
from tests.support.http import http_client
from tests.support.ocpp_client import PASSWORD, basic_auth, raw_station
from tests.support.server import RunningServer, free_port, in_process_server


async def refusal(url: str, station_id: str, headers: dict[str, str], offered: list[str]) -> int:
    """The HTTP status a handshake is refused with."""
    with pytest.raises(InvalidStatus) as refused:
        async with connect(
            f"{url}/{station_id}",
            subprotocols=offered,  # type: ignore[arg-type]
            additional_headers=headers,
            open_timeout=10,
        ):
            pass
    return int(refused.value.response.status_code)


async def station_row(server: RunningServer, station_id: str) -> Station | None:
    db = Database(server.settings.database_url)
    try:
        async with db.reading() as uow:
            return await uow.session.scalar(select(Station).where(Station.id == station_id))
    finally:
        await db.dispose()


async def test_unknown_station_is_refused_and_not_registered(tenant: Tenant) -> None:
    station_id = tenant.unique("GHOST")
    headers = basic_auth(station_id, PASSWORD)
    assert await refusal(tenant.server.ocpp_url, station_id, headers, ["ocpp1.6"]) == 401
    assert await station_row(tenant.server, station_id) is None


async def test_wrong_password_is_refused_and_recorded(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    url = tenant.server.ocpp_url
    wrong = basic_auth(station_id, "not-the-password-at-all")
    assert await refusal(url, station_id, wrong, ["ocpp1.6"]) == 401
    other_name = basic_auth("someone-else", PASSWORD)
    assert await refusal(url, station_id, other_name, ["ocpp1.6"]) == 401
    failures = await events_of(tenant.server, station_id, "station.authentication_failed")
    assert [(e["reason"], e["tls"]) for e in failures] == [
        ("wrong credentials", False),
        ("wrong credentials", False),
    ]
    assert (await stations.detail(station_id))["connected"] is False


async def test_missing_credentials_are_refused(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    assert await refusal(tenant.server.ocpp_url, station_id, {}, ["ocpp1.6"]) == 401
    garbled = {"Authorization": "Basic %%%not-base64"}
    assert await refusal(tenant.server.ocpp_url, station_id, garbled, ["ocpp1.6"]) == 401
    failures = await events_of(tenant.server, station_id, "station.authentication_failed")
    assert [e["reason"] for e in failures] == ["no credentials", "no credentials"]


async def test_profile_2_requires_tls(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register(security_profile=2)
    headers = basic_auth(station_id, PASSWORD)
    assert await refusal(tenant.server.ocpp_url, station_id, headers, ["ocpp1.6"]) == 401


async def test_profile_0_needs_no_credentials(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register(security_profile=0, password=None)
    async with raw_station(tenant.server.ocpp_url, station_id, password=None) as station:
        assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"


async def test_subprotocol_is_negotiated_or_refused(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    headers = basic_auth(station_id, PASSWORD)
    url = tenant.server.ocpp_url
    assert await refusal(url, station_id, headers, ["ocpp1.5", "mqtt"]) == 400
    assert await refusal(url, station_id, headers, []) == 400
    async with connect(
        f"{url}/{station_id}",
        subprotocols=["ocpp1.5", "ocpp1.6"],  # type: ignore[list-item]
        additional_headers=headers,
    ) as socket:
        assert socket.subprotocol == "ocpp1.6"


async def test_second_connection_replaces_the_first(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    url = tenant.server.ocpp_url
    async with stations.booted(station_id) as first:
        async with raw_station(url, station_id) as second:
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(first.socket.recv(), 30)
            # The replacement inherits the accepted boot and carries on.
            assert (await second.ok("Heartbeat", {}))["currentTime"]
            await asyncio.sleep(0.1)  # the first session's teardown must not mark us offline
            assert (await stations.detail(station_id))["connected"] is True
        connected = await events_of(tenant.server, station_id, "station.connected")
        assert [e["replaced_previous"] for e in connected] == [False, True]
        assert [e["protocol"] for e in connected] == ["ocpp1.6", "ocpp1.6"]

        async def offline() -> bool:
            return (await stations.detail(station_id))["connected"] is False

        await eventually(offline)
    assert len(await events_of(tenant.server, station_id, "station.disconnected")) == 1


async def test_disconnect_marks_the_station_offline(tenant: Tenant, stations: Stations) -> None:
    station_id = await stations.register()
    async with stations.booted(station_id):
        online = await stations.detail(station_id)
    assert online["connected"] is True and online["protocol"] == "ocpp1.6"

    async def offline() -> bool:
        return (await stations.detail(station_id))["connected"] is False

    await eventually(offline)
    detail = await stations.detail(station_id)
    assert detail["disconnected_at"] >= detail["connected_at"]


@dataclass
class AutoServer:
    server: RunningServer
    organization: str
    api: httpx.AsyncClient


@pytest.fixture(scope="module")
async def auto_server(server: RunningServer) -> AsyncIterator[AutoServer]:
    """A second server on the same database that admits unknown stations into one organization."""
    organization = f"auto-{uuid.uuid4().hex[:8]}"
    settings = Settings(
        database_url=server.settings.database_url,
        port=free_port(),
        node_id="test-node-auto",
        auto_register_organization=organization,
        heartbeat_interval_s=45,
        message_log_flush_s=0.05,
    )
    async with in_process_server(settings) as running:
        db = Database(settings.database_url)
        try:
            async with db.writing() as uow:
                org = await ensure_organization(uow.session, organization)
                issued = await issue_token(uow.session, org.id, "admin", "test")
                await uow.commit()
        finally:
            await db.dispose()
        headers = {"Authorization": f"Bearer {issued.secret}"}
        async with http_client(base_url=f"{running.base_url}/api/v1", headers=headers) as api:
            yield AutoServer(running, organization, api)


async def test_auto_registration_admits_unknown_station_as_pending(auto_server: AutoServer) -> None:
    station_id = f"AUTO-{uuid.uuid4().hex[:8]}"
    url = auto_server.server.ocpp_url
    async with raw_station(url, station_id) as station:
        pending = await station.ok("BootNotification", BOOT)
        assert (pending["status"], pending["interval"]) == ("Pending", 45)
        assert (await station.call("Heartbeat", {}))[2] == "SecurityError"
        listed: dict[str, Any] = (await auto_server.api.get(f"/stations/{station_id}")).json()
        assert listed["registration_status"] == "Pending"
        assert listed["has_password"] is True and listed["connected"] is True
        accepted = await auto_server.api.patch(
            f"/stations/{station_id}", json={"registration_status": "Accepted"}
        )
        assert accepted.status_code == 200, accepted.text
        booted = await station.ok("BootNotification", BOOT)
        assert (booted["status"], booted["interval"]) == ("Accepted", 45)
        assert (await station.call("Heartbeat", {}))[0] == 3
    # The password presented on first use is now the station's password.
    wrong = basic_auth(station_id, "an-impostor-password")
    assert await refusal(url, station_id, wrong, ["ocpp1.6"]) == 401
    registered = await events_of(auto_server.server, station_id, "station.registered")
    assert registered == [{"station_id": station_id, "registration_status": "Pending"}]
