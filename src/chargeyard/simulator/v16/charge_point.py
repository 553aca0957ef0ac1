"""`StationChargePoint`: the OCPP 1.6 session of one station connection.

A new one is built for every connection (the `ocpp` library binds a ChargePoint to its
socket); the station's state outlives it. It combines the feature-profile handlers, drops
the actions the station's behaviour declares unsupported, and starts the follow-up work
handlers queued once each answer has been sent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ocpp.v16 import ChargePoint

from chargeyard.simulator.connection import TimedSocket
from chargeyard.simulator.v16.core_profile import CoreProfile
from chargeyard.simulator.v16.firmware_profile import FirmwareProfile
from chargeyard.simulator.v16.local_auth_profile import LocalAuthListProfile
from chargeyard.simulator.v16.remote_trigger_profile import RemoteTriggerProfile
from chargeyard.simulator.v16.reservation_profile import ReservationProfile
from chargeyard.simulator.v16.smart_charging_profile import SmartChargingProfile

if TYPE_CHECKING:
    from chargeyard.simulator.v16.station import SimulatedStation


class StationChargePoint(
    CoreProfile,
    FirmwareProfile,
    LocalAuthListProfile,
    ReservationProfile,
    SmartChargingProfile,
    RemoteTriggerProfile,
    ChargePoint,  # type: ignore[misc]  # ocpp's ChargePoint reaches mypy as Any
):
    def __init__(
        self, station: SimulatedStation, socket: TimedSocket, response_timeout: float
    ) -> None:
        super().__init__(station.station_id, socket, response_timeout=response_timeout)
        self.station = station
        self._follow_ups = []
        for action in station.behaviour.unsupported:
            # Without a route the library answers NotImplemented, as a charger lacking it would.
            self.route_map.pop(action, None)

    async def route_message(self, raw_msg: str) -> None:
        await super().route_message(raw_msg)
        follow_ups, self._follow_ups = self._follow_ups, []
        for follow_up in follow_ups:
            self.station.spawn(follow_up())
