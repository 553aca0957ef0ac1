"""The OCPP 2.0.1 / 2.1 session of one simulated station connection.

A new one is built for every connection (the `ocpp` library binds a ChargePoint to its
socket); the station's state outlives it. It combines the command handlers, drops the actions
the station's behaviour declares unsupported (the library then answers NotImplemented), and
starts the follow-up work handlers queued once each answer has been sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ocpp import v21, v201

from chargeyard.simulator.connection import TimedSocket
from chargeyard.simulator.v201_core import CoreHandlers
from chargeyard.simulator.v201_costs import CostHandlers, TariffHandlers
from chargeyard.simulator.v201_device import DeviceHandlers
from chargeyard.simulator.v201_maintenance import MaintenanceHandlers
from chargeyard.simulator.v201_smart_charging import SmartChargingHandlers

if TYPE_CHECKING:
    from chargeyard.simulator.station_v201 import SimulatedStationV201


class _Commands(
    CoreHandlers, SmartChargingHandlers, DeviceHandlers, MaintenanceHandlers, CostHandlers
):
    def _bind(self, station: SimulatedStationV201) -> None:
        self.station = station
        self._follow_ups = []
        for action in station.behaviour.unsupported:
            self.route_map.pop(action, None)  # type: ignore[attr-defined]  # the ChargePoint's

    async def route_message(self, raw_msg: str) -> None:
        await super().route_message(raw_msg)  # type: ignore[misc]  # the ChargePoint's
        follow_ups, self._follow_ups = self._follow_ups, []
        for follow_up in follow_ups:
            self.station.spawn(follow_up())


class StationSession(_Commands, v201.ChargePoint):  # type: ignore[misc]  # ocpp is untyped
    def __init__(
        self, station: SimulatedStationV201, socket: TimedSocket, response_timeout: float
    ) -> None:
        super().__init__(station.station_id, socket, response_timeout=response_timeout)
        self._bind(station)


class StationSessionV21(TariffHandlers, _Commands, v21.ChargePoint):  # type: ignore[misc]  # the same, for 2.1
    def __init__(
        self, station: SimulatedStationV201, socket: TimedSocket, response_timeout: float
    ) -> None:
        super().__init__(station.station_id, socket, response_timeout=response_timeout)
        self._bind(station)
