"""The conformance station takes its time from the run's clock (`Target.clock`: the wall clock
from the command line), not from the wall clock itself: run against a server whose clock is five
years ahead, with that clock, the cases that send times and ask for dates still pass, and the
CSMS stores the station's times as sent."""

from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from chargeyard.clock import utcnow
from chargeyard.conformance.case import Verdict
from chargeyard.conformance.context import Target
from chargeyard.conformance.operator_api import OperatorApi
from chargeyard.conformance.runner import run
from chargeyard.organizations.service import ensure_organization, issue_token
from chargeyard.settings import Settings
from chargeyard.storage.database import Database
from chargeyard.storage.migrate import upgrade_async
from tests.support.databases import fresh_database
from tests.support.http import http_client
from tests.support.server import RunningServer, free_port, in_process_server

from .test_runner import PASSWORD

AHEAD = timedelta(days=5 * 365)


def ahead() -> datetime:
    return utcnow() + AHEAD


@pytest.fixture
async def server_ahead(tmp_path: Path) -> AsyncIterator[tuple[RunningServer, str]]:
    """A server on a clock five years ahead, and an admin token of its one organization."""
    async with fresh_database(tmp_path) as url:
        await upgrade_async(url)
        db = Database(url, ahead)
        try:
            async with db.writing() as uow:
                organization = await ensure_organization(uow.session, "ahead")
                issued = await issue_token(uow.session, organization.id, "admin", "test")
                await uow.commit()
        finally:
            await db.dispose()
        settings = Settings(database_url=url, port=free_port(), node_id="ahead")
        async with in_process_server(settings, ahead) as server:
            yield server, issued.secret


async def run_cases(server: RunningServer, token: str, clock: Callable[[], datetime]) -> str:
    """Register a station, run the cases on it with `clock`; the first failure's reason, if
    any."""
    station_id = f"OCTT{free_port()}"
    async with http_client(
        base_url=f"{server.base_url}/api/v1", headers={"Authorization": f"Bearer {token}"}
    ) as api:
        created = await api.post("/stations", json={"id": station_id, "password": PASSWORD})
        assert created.status_code == 201, created.text
    operator = OperatorApi(server.base_url, token, timeout_s=10)
    try:
        target = Target(server.ocpp_url + "/", station_id, PASSWORD, api=operator, clock=clock)
        results = await run(target, "1.6", ["TC_046_CSMS", "TC_039_CSMS"])
    finally:
        await operator.aclose()
    assert sorted(r.case.id for r in results) == ["TC_039_CSMS", "TC_046_CSMS"]
    failed = [f"{r.case.id}: {r.reason}" for r in results if r.verdict is not Verdict.PASS]
    return "; ".join(failed)


async def test_the_station_sends_the_runs_time(server_ahead: tuple[RunningServer, str]) -> None:
    server, token = server_ahead
    assert await run_cases(server, token, ahead) == ""
    async with http_client(
        base_url=f"{server.base_url}/api/v1", headers={"Authorization": f"Bearer {token}"}
    ) as api:
        sessions = (await api.get("/transactions")).json()["items"]
    assert len(sessions) == 2
    for session in sessions:  # the station's StartTransaction timestamps, as sent
        started = datetime.fromisoformat(session["started_at"])
        assert abs(started - ahead()) < timedelta(hours=1), session


async def test_the_wall_clock_would_not_do(server_ahead: tuple[RunningServer, str]) -> None:
    """The control: with the wall clock the reservation the station asks for has expired
    before it is made (five years ago, for this server), so TC_046 fails."""
    server, token = server_ahead
    assert "TC_046_CSMS" in await run_cases(server, token, utcnow)
