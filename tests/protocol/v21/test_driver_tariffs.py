"""A driver tariff the station could not process is not given: too many prices for its
MaxElements[Tariff], or conditions where it supports none; and what asking costs a station that
takes none."""

from typing import Any

import pytest

from chargeyard.protocol.v21.driver_tariffs import unfit
from chargeyard.simulator.station_v201 import SimulatedStationV21
from chargeyard.tariffs import local_calculation
from chargeyard.tariffs.local_calculation import LocalCalculation
from tests.commands.conftest import register
from tests.conftest import Tenant
from tests.protocol.test_v16_authorize import add_tag
from tests.support.billing import create_tariff
from tests.support.ocpp_client import PASSWORD
from tests.tariffs.test_station_defaults import enabled_report

TIME_OF_USE = {
    "tariff_id": "T-v1",
    "currency": "EUR",
    "energy": {
        "prices": [
            {"price_kwh": 0.4, "conditions": {"start_time_of_day": "07:00", "end_time": None}},
            {"price_kwh": 0.2, "conditions": {"start_time_of_day": None}},
        ]
    },
    "fixed_fee": {"prices": [{"price_fixed": 1.0}]},
}


def test_what_a_station_cannot_take() -> None:
    assert unfit(TIME_OF_USE, LocalCalculation(True)) is None
    assert unfit(TIME_OF_USE, LocalCalculation(True, max_elements=2)) is None
    assert "the station takes 1" in str(unfit(TIME_OF_USE, LocalCalculation(True, max_elements=1)))
    assert "conditions" in str(unfit(TIME_OF_USE, LocalCalculation(True, conditions=False)))
    flat = {"tariff_id": "F-v1", "currency": "EUR", "fixed_fee": TIME_OF_USE["fixed_fee"]}
    assert unfit(flat, LocalCalculation(True, conditions=False)) is None


async def test_a_station_that_does_not_take_tariffs_pays_one_read_not_one_per_authorize(
    tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the driver tariff costs a 2.1 station that calculates nothing locally: its device
    model is read at its first Authorize, remembered, and read again only after it reports.
    (The server runs in this process: its reads of the device model for Authorize are the
    calls of `local_calculation.reported`.)"""
    reads: list[str] = []
    read = local_calculation.reported

    async def counted(db: Any, organization_id: str, station_id: str) -> LocalCalculation:
        reads.append(station_id)
        return await read(db, organization_id, station_id)

    monkeypatch.setattr(local_calculation, "reported", counted)
    tariff_id = await create_tariff(tenant)
    tag = await add_tag(tenant)
    station_id = await register(tenant)
    assigned = await tenant.api.patch(f"/stations/{station_id}", json={"tariff_id": tariff_id})
    assert assigned.status_code == 200, assigned.text
    sim = SimulatedStationV21(tenant.server.ocpp_url, station_id, password=PASSWORD)
    per_authorize = []
    async with sim:
        assert await sim.boot() == "Accepted"
        await sim.notify_report(report=enabled_report("false"))
        for _ in range(3):
            before = len(reads)
            assert await sim.authorize(tag) == "Accepted"
            per_authorize.append(len(reads) - before)
        await sim.notify_report(report=enabled_report("true"))
        before = len(reads)
        assert await sim.authorize(tag) == "Accepted"
        per_authorize.append(len(reads) - before)
    assert per_authorize == [1, 0, 0, 1]
    assert sim.display.driver_tariffs == {}  # its tag is priced by the station's default
