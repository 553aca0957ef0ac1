"""A running session's cost reaches a 2.x station that shows costs in `CostUpdated` calls
(OCPP 2.0.1 I02), at most once per interval, and only stations that said they can show it."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chargeyard.costing.running_cost import CostThrottle, shows_costs
from tests.commands.station import ScriptedStation, scripted_station
from tests.conftest import Tenant
from tests.protocol.conftest import Stations
from tests.protocol.v201.conftest import BOOT_201, meter, sampled, tx_event
from tests.support.billing import create_tariff, priced_station, stamp, tariff_cost_ctrlr


@dataclass
class Variable:
    component_name: str
    variable_name: str
    variable_instance: str | None
    attribute_type: str
    value: str | None


def test_a_session_is_due_once_per_interval() -> None:
    now = [100.0]
    throttle = CostThrottle(60, lambda: now[0])
    key = ("org", "CP-1", "TX-1")
    assert throttle.due(key)  # the first change goes at once
    now[0] += 59.9
    assert not throttle.due(key)
    assert throttle.due(("org", "CP-1", "TX-2"))  # every session has its own interval
    now[0] += 0.1
    assert throttle.due(key)
    throttle.ended(key)
    assert throttle.due(key)  # a session that ended starts afresh (a reused id)


def test_an_interval_of_zero_sends_every_change() -> None:
    throttle = CostThrottle(0, lambda: 5.0)
    assert all(throttle.due(("org", "CP-1", "TX-1")) for _ in range(3))


def test_only_an_enabled_cost_display_counts() -> None:
    def enabled(value: str, instance: str | None = "Cost", kind: str = "Actual") -> Variable:
        return Variable("TariffCostCtrlr", "Enabled", instance, kind, value)

    assert shows_costs([enabled("true")])
    assert shows_costs([enabled(" TRUE ")])
    assert not shows_costs([enabled("false")])
    assert not shows_costs([enabled("true", instance="Tariff")])
    assert not shows_costs([enabled("true", kind="Target")])
    assert not shows_costs([Variable("TariffCostCtrlr", "Available", "Cost", "Actual", "true")])
    assert not shows_costs([])


async def _session(
    station: ScriptedStation, tx_id: str, start: datetime, *, shows_costs: bool
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """Started (the flat fee), 5 kWh ten minutes later, Ended at 10 kWh; with `shows_costs`,
    waits for the CostUpdated the start brings."""

    def at(minutes: int) -> str:
        return stamp(start + timedelta(minutes=minutes))

    started = await station.ok(
        "TransactionEvent",
        tx_event(
            "Started",
            tx_id,
            0,
            at(0),
            evse={"id": 1, "connectorId": 1},
            meterValue=meter(at(0), sampled(0, "Transaction.Begin")),
            info={"chargingState": "Charging"},
        ),
    )
    first = await station.wait_for("CostUpdated") if shows_costs else []
    running = await station.ok(
        "TransactionEvent",
        tx_event(
            "Updated",
            tx_id,
            1,
            at(10),
            trigger="MeterValuePeriodic",
            meterValue=meter(at(10), sampled(5000)),
        ),
    )
    ended = await station.ok(
        "TransactionEvent",
        tx_event(
            "Ended",
            tx_id,
            2,
            at(20),
            trigger="EVDeparted",
            meterValue=meter(at(20), sampled(10000, "Transaction.End")),
            info={"stoppedReason": "EVDisconnected"},
        ),
    )
    return started, first, running, ended


@pytest.fixture
def stations(tenant: Tenant) -> Stations:
    return Stations(tenant)


async def test_a_station_that_shows_costs_is_sent_the_running_cost(
    tenant: Tenant, stations: Stations
) -> None:
    # 0.30/kWh + 1.00 per session, 20 % tax.
    station_id = await priced_station(tenant, stations, await create_tariff(tenant))
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    async with scripted_station(
        tenant.server.ocpp_url, station_id, "ocpp2.0.1", BOOT_201
    ) as station:
        await station.ok("NotifyReport", tariff_cost_ctrlr("Cost", "true"))
        started, first, running, ended = await _session(station, "TX-COST", start, shows_costs=True)
        # The start's flat fee (1.20 incl. tax) is sent at once: the Started response has no
        # totalCost to carry it.
        assert "totalCost" not in started
        assert first == [{"totalCost": 1.2, "transactionId": "TX-COST"}]
        # 5 kWh later the response carries the running cost; within the interval (60 s by
        # default) no second CostUpdated is sent, and the final cost is the Ended response's.
        assert running["totalCost"] == 3.0
        assert ended["totalCost"] == 4.8
        assert len(station.calls("CostUpdated")) == 1


async def test_a_station_that_does_not_show_costs_is_sent_none(
    tenant: Tenant, stations: Stations
) -> None:
    station_id = await priced_station(tenant, stations, await create_tariff(tenant))
    quiet_id = await priced_station(tenant, stations, await create_tariff(tenant))
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    async with (
        scripted_station(tenant.server.ocpp_url, quiet_id, "ocpp2.0.1", BOOT_201) as quiet,
        scripted_station(tenant.server.ocpp_url, station_id, "ocpp2.0.1", BOOT_201) as shows,
    ):
        await quiet.ok("NotifyReport", tariff_cost_ctrlr("Cost", "false"))
        await shows.ok("NotifyReport", tariff_cost_ctrlr("Cost", "true"))
        # The quiet station's session first: its cost events' tasks are started before the
        # other station's, so by the time that one's CostUpdated arrives, the quiet one's
        # looked at the device model and sent nothing.
        *_, quiet_ended = await _session(quiet, "TX-QUIET", start, shows_costs=False)
        await _session(shows, "TX-SHOWN", start, shows_costs=True)
        assert quiet_ended["totalCost"] == 4.8  # the response still says it
        assert quiet.calls("CostUpdated") == []
