"""Stations online against the fake CSMS, in the states tests start from."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from chargeyard.simulator import SimulatedStation
from chargeyard.simulator.battery import MID_SIZE_EV, EVBattery

from .fake_csms import FakeCsms


@asynccontextmanager
async def online(
    csms: FakeCsms, station_id: str = "CP1", **options: Any
) -> AsyncIterator[SimulatedStation]:
    """A station that has booted and reported its connectors."""
    station = SimulatedStation(csms.url, station_id, **options)
    assert await station.ensure_online()
    try:
        yield station
    finally:
        await station.close()


async def start_charging(station: SimulatedStation, connector_id: int = 1, soc: float = 0.3) -> int:
    """Plug a mid-size car in and start a transaction; return its id."""
    await station.plug_in(connector_id)
    assert await station.begin_transaction(connector_id, "TAG-OK", EVBattery(MID_SIZE_EV, soc))
    transaction = station.connector(connector_id).transaction
    assert transaction is not None
    return int(transaction.transaction_id)
