"""Simulated OCPP charging stations, for tests, demos and load benchmarks.

`SimulatedStation` (OCPP 1.6-J) is one station a test drives message by message;
`SessionDriver` runs a realistic charging session on any station; `run_fleet` runs
thousands of stations from one process and reports their latency. Protocol-neutral
pieces (clock, EV battery, charging limits, scheduler, `station.StationBase`) sit at this
level; 1.6's messages are in the `v16` subpackage, 2.0.1's and 2.1's in `station_v201` and
the `v201_*` modules.
"""

from chargeyard.simulator.battery import EVBattery, Vehicle
from chargeyard.simulator.behaviour import Behaviour
from chargeyard.simulator.call_record import CallLog, CallOutcome, CallRecord
from chargeyard.simulator.clock import Clock, ManualClock, SystemClock
from chargeyard.simulator.connector import ConnectorRating, ConnectorStatus, StopReason
from chargeyard.simulator.errors import (
    CallFailed,
    CallTimedOut,
    ConnectFailed,
    SimulatorError,
    StationOffline,
)
from chargeyard.simulator.fleet import DEFAULT_URL, FleetConfig, run_fleet
from chargeyard.simulator.fleet_stats import FleetStats
from chargeyard.simulator.protocols import ProtocolVersion
from chargeyard.simulator.session_driver import SessionDriver
from chargeyard.simulator.session_plan import SessionPlan
from chargeyard.simulator.station import Station
from chargeyard.simulator.v16 import SimulatedStation

__all__ = [
    "DEFAULT_URL",
    "Behaviour",
    "CallFailed",
    "CallLog",
    "CallOutcome",
    "CallRecord",
    "CallTimedOut",
    "Clock",
    "ConnectFailed",
    "ConnectorRating",
    "ConnectorStatus",
    "EVBattery",
    "FleetConfig",
    "FleetStats",
    "ManualClock",
    "ProtocolVersion",
    "SessionDriver",
    "SessionPlan",
    "SimulatedStation",
    "SimulatorError",
    "Station",
    "StationOffline",
    "StopReason",
    "SystemClock",
    "Vehicle",
    "run_fleet",
]
