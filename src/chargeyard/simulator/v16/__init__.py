"""The OCPP 1.6-J station: `SimulatedStation` and the handlers that answer the CSMS."""

from chargeyard.simulator.v16.answers import (
    DataTransferAnswer,
    StartedTransaction,
    TagAuthorization,
)
from chargeyard.simulator.v16.station import SimulatedStation

__all__ = ["DataTransferAnswer", "SimulatedStation", "StartedTransaction", "TagAuthorization"]
