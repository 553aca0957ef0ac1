"""Errors a simulated station raises when a CALL it sent gets no usable answer.

    SimulatorError
    ├── ConnectFailed    the websocket could not be opened (refused, 401, wrong subprotocol)
    ├── StationOffline   not connected, or the socket dropped before the answer came
    ├── CallFailed       the CSMS answered with a CALLERROR, or with an invalid payload
    └── CallTimedOut     no answer within the response timeout

Negative answers that are part of the protocol (a Rejected boot, an Invalid id tag) are
not errors: they come back as values.
"""

from __future__ import annotations


class SimulatorError(Exception):
    pass


class ConnectFailed(SimulatorError):
    def __init__(self, station_id: str, reason: str) -> None:
        super().__init__(f"station {station_id} could not connect: {reason}")
        self.station_id = station_id
        self.reason = reason


class StationOffline(SimulatorError):
    def __init__(self, station_id: str) -> None:
        super().__init__(f"station {station_id} is not connected to the CSMS")
        self.station_id = station_id


class CallFailed(SimulatorError):
    def __init__(self, action: str, code: str, description: str) -> None:
        super().__init__(f"{action} failed: {code} {description}")
        self.action = action
        self.code = code
        self.description = description


class CallTimedOut(SimulatorError):
    def __init__(self, action: str) -> None:
        super().__init__(f"{action} got no answer within the response timeout")
        self.action = action
