"""What stations apply against what smart charging requested, over real connections: the
schedule-check endpoint, the controller's periodic check (`charging_profile.deviation`), the
memory of what is in force across a restart, and 2.1 PullDynamicScheduleUpdate answered for
smart charging's profiles."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from ocpp.v21 import call as v21_call

from chargeyard.charging_profiles.domain import Purpose
from chargeyard.load_management.domain import profile_id
from chargeyard.settings import Settings
from chargeyard.simulator.connector import AC_11_KW
from chargeyard.simulator.station_v201 import SimulatedStationV21, SimulatedStationV201
from chargeyard.simulator.v16 import SimulatedStation
from tests.conftest import Tenant, make_tenant
from tests.load_management.conftest import simulated_site, until
from tests.load_management.test_end_to_end import _quiet
from tests.support.databases import fresh_database
from tests.support.payloads import fits
from tests.support.server import RunningServer, free_port, in_process_server

SLOWER_HARDWARE = {"rating": AC_11_KW}
"""Chargeyard takes an EVSE without wiring for 22 kW; this station's hardware stops at 11.04."""


def _session_limit_settled(site: Any, watts: float) -> bool:
    return site.session_limits_w() == [watts]


async def _session_profiles_delivered(tenant: Tenant, count: int) -> None:
    """Until `count` TxProfiles are recorded as delivered (with delivery's memory stored)."""
    while True:
        sent = await tenant.api.get("/smart-charging/profiles", params={"limit": 1000})
        items = sent.json()["items"]
        delivered = [p for p in items if p["purpose"] == "TxProfile" and p["status"] == "delivered"]
        if len(delivered) >= count:
            return
        await asyncio.sleep(0.02)


@pytest.mark.parametrize("station_class", [SimulatedStation, SimulatedStationV201])
async def test_a_station_applying_less_than_requested_shows_a_deviation(
    tenant: Tenant, station_class: type[Any]
) -> None:
    async with simulated_site(
        tenant,
        1,
        connectors=1,
        station_class=station_class,
        station_options=SLOWER_HARDWARE,
        max_power_kw=22,
    ) as site:
        await site.start(0)
        await asyncio.wait_for(_session_profiles_delivered(tenant, 1), 30)
        await until(lambda: _session_limit_settled(site, 22_000))
        station_id = site.stations[0].station_id
        response = await tenant.api.get(
            f"/stations/{station_id}/evses/1/schedule-check", params={"minutes": 10}
        )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["managed"] is True and body["transaction_id"] is not None
    assert [s["limit_kw"] for s in body["requested"]] == [22.0]
    assert [s["limit_kw"] for s in body["effective"]] == [11.04]
    assert body["deviations"] == [
        {"start": body["start"], "end": body["end"], "requested_kw": 22.0, "effective_kw": 11.04}
    ]


async def test_a_station_applying_what_was_requested_shows_none(tenant: Tenant) -> None:
    async with simulated_site(tenant, 1, connectors=2, max_power_kw=22) as site:
        await site.start(0)
        await asyncio.wait_for(_session_profiles_delivered(tenant, 1), 30)
        await until(lambda: _session_limit_settled(site, 22_000))
        station_id = site.stations[0].station_id
        busy = await tenant.api.get(f"/stations/{station_id}/evses/1/schedule-check")
        idle = await tenant.api.get(f"/stations/{station_id}/evses/2/schedule-check")
    assert busy.status_code == 200 and idle.status_code == 200, (busy.text, idle.text)
    assert [s["limit_kw"] for s in busy.json()["requested"]] == [22.0]
    assert [s["limit_kw"] for s in busy.json()["effective"]] == [22.0]
    assert busy.json()["deviations"] == [] and idle.json()["deviations"] == []
    # The idle EVSE runs under its own default: nothing left beside the busy one.
    assert idle.json()["transaction_id"] is None and idle.json()["managed"] is True
    idle_requested = [s["limit_kw"] for s in idle.json()["requested"]]
    assert idle_requested == [s["limit_kw"] for s in idle.json()["effective"]]


async def test_schedule_check_errors(tenant: Tenant, other_tenant: Tenant) -> None:
    async with simulated_site(tenant, 1, connectors=1, max_power_kw=22) as site:
        station_id = site.stations[0].station_id
        foreign = await other_tenant.api.get(f"/stations/{station_id}/evses/1/schedule-check")
        station_level = await tenant.api.get(f"/stations/{station_id}/evses/0/schedule-check")
        unknown_evse = await tenant.api.get(f"/stations/{station_id}/evses/7/schedule-check")
    offline = await tenant.api.get(f"/stations/{station_id}/evses/1/schedule-check")
    assert foreign.status_code == 404
    assert station_level.status_code == 422
    assert unknown_evse.status_code == 502  # the station refused: it has no EVSE 7
    assert offline.status_code == 409


async def test_the_pulled_schedule_update_of_a_smart_charging_profile(tenant: Tenant) -> None:
    async with simulated_site(
        tenant, 1, connectors=1, station_class=SimulatedStationV21, max_power_kw=22
    ) as site:
        await site.start(0)
        await asyncio.wait_for(_session_profiles_delivered(tenant, 1), 30)
        await until(lambda: _session_limit_settled(site, 22_000))
        station = site.stations[0]
        session = await station._call(
            v21_call.PullDynamicScheduleUpdate(charging_profile_id=profile_id(Purpose.TX, 1))
        )
        default = await station._call(
            v21_call.PullDynamicScheduleUpdate(
                charging_profile_id=profile_id(Purpose.TX_DEFAULT, 0)
            )
        )
        unknown = await station._call(
            v21_call.PullDynamicScheduleUpdate(charging_profile_id=profile_id(Purpose.TX, 5))
        )
    assert (session.status, session.schedule_update) == ("Accepted", {"limit": 22000})
    assert (default.status, default.schedule_update) == ("Accepted", {"limit": 22000})
    assert unknown.status == "Rejected"


# -- with a server of the test's own --------------------------------------------------------


def _settings(url: str, port: int, **overrides: Any) -> Settings:
    return Settings(
        database_url=url,
        port=port,
        node_id="smart-node",
        call_timeout_s=5,
        message_log_flush_s=0.05,
        **overrides,
    )


@asynccontextmanager
async def own_server(tmp: Path, **overrides: Any) -> AsyncIterator[tuple[RunningServer, Tenant]]:
    async with (
        fresh_database(tmp) as url,
        in_process_server(_settings(url, free_port(), **overrides)) as running,
    ):
        async for tenant in make_tenant(running):
            yield running, tenant


async def test_the_periodic_check_reports_a_deviation_once(tmp: Path) -> None:
    async with (
        own_server(tmp, smart_charging_check_period_s=0.2) as (_server, tenant),
        simulated_site(
            tenant, 1, connectors=1, station_options=SLOWER_HARDWARE, max_power_kw=22
        ) as site,
    ):
        await site.start(0)
        await asyncio.wait_for(_session_profiles_delivered(tenant, 1), 30)
        await until(lambda: _session_limit_settled(site, 22_000))
        station_id = site.stations[0].station_id
        found: list[dict[str, Any]] = []

        async def deviation_reported() -> None:
            # A check that ran before the transaction was known reports the deviation without
            # one; the session's own report follows.
            while not found:
                answer = await tenant.api.get(
                    "/events", params={"type": "charging_profile.deviation"}
                )
                found.extend(e for e in answer.json()["items"] if e["transaction_id"] is not None)
                await asyncio.sleep(0.05)

        await asyncio.wait_for(deviation_reported(), 30)
        await asyncio.sleep(0.6)  # three more checks: the same deviation is not repeated
        events = await tenant.api.get("/events", params={"type": "charging_profile.deviation"})
    items = events.json()["items"]
    in_session = [e for e in items if e["transaction_id"] is not None]
    assert len(in_session) == 1
    assert len(items) - len(in_session) <= 1
    event = in_session[0]
    assert event["station_id"] == station_id
    fits(event["type"], event["data"])
    assert event["data"]["evse_id"] == 1
    assert [(d["requested_kw"], d["effective_kw"]) for d in event["data"]["deviations"]] == [
        (22.0, 11.04)
    ]


class ReconnectingStation(SimulatedStation):
    """Comes back without rebooting (no BootNotification), as a station does when it was the
    central system that restarted."""

    booted = False

    async def _come_online(self) -> None:
        if not self.booted:
            await super()._come_online()
            self.booted = True


class RestartableServer:
    """An in-process server that can be stopped and started again on its database and port."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._context: Any = None

    async def start(self) -> RunningServer:
        self._context = in_process_server(self.settings)
        running: RunningServer = await self._context.__aenter__()
        return running

    async def stop(self) -> None:
        context, self._context = self._context, None
        if context is not None:
            await context.__aexit__(None, None, None)


async def test_a_restart_resends_nothing_the_stations_already_hold(tmp: Path) -> None:
    async with fresh_database(tmp) as url:
        server = RestartableServer(_settings(url, free_port()))
        try:
            async for tenant in make_tenant(await server.start()):
                async with simulated_site(
                    tenant, 2, connectors=1, station_class=ReconnectingStation, max_power_kw=22
                ) as site:
                    await site.start(0)
                    await site.start(1)
                    await asyncio.wait_for(_session_profiles_delivered(tenant, 2), 30)
                    await until(lambda: site.session_limits_w() == [11_000, 11_000])
                    received = await _quiet(site)
                    sent = await tenant.api.get("/smart-charging/profiles")
                    await server.stop()
                    await server.start()  # the same database and port
                    for station in site.stations:
                        assert await station.ensure_online()
                    optimized = await tenant.api.post(f"/circuits/{site.circuit_id}/optimize")
                    assert optimized.status_code == 200, optimized.text
                    after = await _quiet(site)
                    sent_after = await tenant.api.get("/smart-charging/profiles")
                    limits = site.session_limits_w()
        finally:
            await server.stop()
    assert sorted(s["power_kw"] for s in optimized.json()["sessions"]) == [11.0, 11.0]
    assert after == received and limits == [11_000, 11_000]
    assert sent_after.json()["total"] == sent.json()["total"] > 0
