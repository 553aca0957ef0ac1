"""The OCPP versions a simulated station can speak, and the station class for each.

To add a version, subclass `station.StationBase` (which gives every version the same
constructor) with that version's messages and the `Station` operations, and list it here; the
fleet runner and the `chargeyard simulate --protocol` option pick it up from this table.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from chargeyard.simulator.station import StationFactory
from chargeyard.simulator.station_v201 import SimulatedStationV21, SimulatedStationV201
from chargeyard.simulator.v16 import SimulatedStation


class ProtocolVersion(StrEnum):
    """Named after the websocket subprotocol each version negotiates."""

    OCPP16 = "ocpp1.6"
    OCPP201 = "ocpp2.0.1"
    OCPP21 = "ocpp2.1"


STATIONS: Mapping[ProtocolVersion, StationFactory] = {
    ProtocolVersion.OCPP16: SimulatedStation,
    ProtocolVersion.OCPP201: SimulatedStationV201,
    ProtocolVersion.OCPP21: SimulatedStationV21,
}
