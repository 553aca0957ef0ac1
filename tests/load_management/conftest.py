"""A site of simulated 1.6 stations under one circuit, and a sampler of the limits in force."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from chargeyard.simulator.battery import MID_SIZE_EV, EVBattery
from chargeyard.simulator.charging_profile import ProfilePurpose
from chargeyard.simulator.v16 import SimulatedStation
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD

TAG = "SMART-E2E"


@dataclass
class SimSite:
    tenant: Tenant
    circuit_id: str
    stations: list[Any]
    samples: list[float] = field(default_factory=list)
    import_samples: list[float] = field(default_factory=list)
    """The sum of the import limits (a discharge counts 0) at each sample."""

    def session_limits_w(self) -> list[float]:
        """The limit in force now for each connector with a transaction (inf: none)."""
        return [limit for limit, _planned in self._limits()]

    def planned_limits_w(self) -> list[float | None]:
        """`session_limits_w` once smart charging sent each session a TxProfile of its own;
        None for a session still running under its EVSE's TxDefaultProfile. A station boots with
        defaults that may equal the plan (the idle share), so a wait on `session_limits_w`
        alone can end before the step that plans the sessions has run, and that step then
        changes them."""
        return [limit if planned else None for limit, planned in self._limits()]

    def _limits(self) -> list[tuple[float, bool]]:
        """Per connector with a transaction: its limit now (inf: none), and whether its
        station holds a TxProfile for that transaction."""
        found = []
        for station in self.stations:
            for connector in station.charger.connectors.values():
                tx = connector.transaction
                if tx is None:
                    continue
                limit = station.charger.limit_w(connector, station.clock.now())
                planned = any(
                    p.profile.purpose is ProfilePurpose.TX
                    and p.profile.transaction_id == str(tx.transaction_id)
                    for p in station.charger.profiles
                )
                found.append((float("inf") if limit is None else limit, planned))
        return found

    async def start(
        self, index: int, connector: int = 1, soc: float = 0.3, *, discharges: bool = True
    ) -> None:
        station = self.stations[index]
        await station.plug_in(connector)
        tag = f"{TAG}-{index}-{connector}"
        battery = EVBattery(MID_SIZE_EV, soc, discharges=discharges)
        assert await station.begin_transaction(connector, tag, battery)
        assert station.connector(connector).transaction is not None

    async def stop(self, index: int, connector: int = 1) -> None:
        from chargeyard.simulator.connector import StopReason

        await self.stations[index].end_transaction(connector, StopReason.LOCAL)


async def until(check: Callable[[], bool], within_s: float = 30.0) -> None:
    """Poll the simulators' state (they have no change notification to wait on)."""
    async with asyncio.timeout(within_s):
        while not check():  # noqa: ASYNC110 - simulator state offers no event to wait on
            await asyncio.sleep(0.01)


async def circuit(tenant: Tenant, **body: Any) -> str:
    response = await tenant.api.post("/circuits", json={"name": "site", **body})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@asynccontextmanager
async def simulated_site(
    tenant: Tenant,
    count: int,
    connectors: int = 2,
    station_class: type[Any] = SimulatedStation,
    station_options: dict[str, Any] | None = None,
    **circuit_body: Any,
) -> AsyncIterator[SimSite]:
    circuit_id = await circuit(tenant, **circuit_body)
    for index in range(count):
        for connector in range(1, connectors + 1):
            tag = {"value": f"{TAG}-{index}-{connector}", "status": "Accepted"}
            assert (await tenant.api.post("/id-tags", json=tag)).status_code == 201
    stations = []
    for _ in range(count):
        station_id = tenant.unique("SC")
        created = await tenant.api.post("/stations", json={"id": station_id, "password": PASSWORD})
        assert created.status_code == 201, created.text
        placed = await tenant.api.patch(f"/stations/{station_id}", json={"circuit_id": circuit_id})
        assert placed.status_code == 200, placed.text
        stations.append(
            station_class(
                tenant.server.ocpp_url,
                station_id,
                password=PASSWORD,
                connectors=connectors,
                **(station_options or {}),
            )
        )
    site = SimSite(tenant, circuit_id, stations)
    sampler = asyncio.create_task(_sample(site))
    try:
        for station in stations:
            assert await station.ensure_online()
        # Every connector has a default before any session starts.
        await until(lambda: all(len(s.charger.profiles) == connectors + 1 for s in stations))
        yield site
    finally:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
        for station in stations:
            await station.close()


async def _sample(site: SimSite) -> None:
    while True:
        limits = site.session_limits_w()
        site.samples.append(sum(limits))
        site.import_samples.append(sum(max(limit, 0.0) for limit in limits))
        await asyncio.sleep(0.002)
