"""Reconnecting costs one HMAC, not an Argon2 check, across restarts (issue 16, item 4): the
verifier stored after a first Argon2 check admits the station on a new server process using the
same database and secret key; a wrong password, a changed password or another key never
ride on it."""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from websockets.exceptions import InvalidStatus

from chargeyard.security import passwords
from chargeyard.settings import Settings
from chargeyard.stations.models import Station
from chargeyard.storage.database import Database
from tests.conftest import make_tenant
from tests.protocol.conftest import BOOT, Stations
from tests.support.ocpp_client import PASSWORD, raw_station
from tests.support.server import RunningServer, free_port, in_process_server

KEY = "k" * 64


@asynccontextmanager
async def node(database_url: str, key: str = KEY) -> AsyncIterator[RunningServer]:
    """One server process's life: what a restart ends and begins again."""
    settings = Settings(
        database_url=database_url,
        port=free_port(),
        node_id=f"verifier-{os.getpid()}-{free_port()}",
        secret_key=key,
    )
    async with in_process_server(settings) as running:
        yield running


async def connect(server: RunningServer, station_id: str, password: str = PASSWORD) -> None:
    async with raw_station(server.ocpp_url, station_id, password) as station:
        assert (await station.ok("BootNotification", BOOT))["status"] == "Accepted"


async def stored_verifier(database_url: str, station_id: str) -> str | None:
    db = Database(database_url)
    try:
        async with db.reading() as uow:
            station = await uow.session.get(Station, station_id)
            assert station is not None
            return station.password_verifier
    finally:
        await db.dispose()


@asynccontextmanager
async def registered(server: RunningServer) -> AsyncIterator[tuple[Stations, str]]:
    """A new station, and its tenant's API client (open until the block ends)."""
    async for tenant in make_tenant(server):
        stations = Stations(tenant)
        yield stations, await stations.register()


async def test_a_restarted_server_admits_a_station_without_argon2(database_url: str) -> None:
    async with node(database_url) as first:
        async with registered(first) as (_, station_id):
            pass
        assert await stored_verifier(database_url, station_id) is None
        before = passwords.argon2_verifications
        await connect(first, station_id)
        assert passwords.argon2_verifications == before + 1
        verifier = await stored_verifier(database_url, station_id)
        assert verifier is not None and PASSWORD not in verifier

    async with node(database_url) as restarted:
        before = passwords.argon2_verifications
        await connect(restarted, station_id)
        await connect(restarted, station_id)
        assert passwords.argon2_verifications == before


async def test_a_wrong_password_is_refused_though_a_verifier_is_stored(database_url: str) -> None:
    async with node(database_url) as server, registered(server) as (_, station_id):
        await connect(server, station_id)
        with pytest.raises(InvalidStatus) as refused:
            await connect(server, station_id, "not-the-password-at-all")
        assert refused.value.response.status_code == 401


async def test_a_password_change_invalidates_the_verifier(database_url: str) -> None:
    async with node(database_url) as server, registered(server) as (stations, station_id):
        await connect(server, station_id)
        new_password = "another-long-station-password"
        response = await stations.tenant.api.post(
            f"/stations/{station_id}/password", json={"password": new_password}
        )
        assert response.status_code == 200, response.text
        assert await stored_verifier(database_url, station_id) is None
        with pytest.raises(InvalidStatus):
            await connect(server, station_id)
        before = passwords.argon2_verifications
        await connect(server, station_id, new_password)
        await connect(server, station_id, new_password)
        assert passwords.argon2_verifications == before + 1


async def test_a_node_with_another_key_checks_argon2_and_still_admits(database_url: str) -> None:
    async with node(database_url) as server, registered(server) as (_, station_id):
        await connect(server, station_id)
    async with node(database_url, key="o" * 64) as other:
        before = passwords.argon2_verifications
        await connect(other, station_id)
        assert passwords.argon2_verifications == before + 1
