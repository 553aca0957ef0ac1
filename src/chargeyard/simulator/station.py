"""What the session driver and the fleet runner need from a station, in any OCPP version.

A station of each protocol version (today `v16.SimulatedStation`) renders these
operations into its own messages: `begin_transaction` is Authorize + StartTransaction +
StatusNotification in 1.6 and would be TransactionEvent(Started) in 2.0.1. Code written
against `Station` therefore runs unchanged when another version is added beside 1.6.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from chargeyard.simulator.battery import EVBattery, Vehicle
from chargeyard.simulator.behaviour import Behaviour
from chargeyard.simulator.call_record import CallRecorder
from chargeyard.simulator.charging_profile import ChargingProfile
from chargeyard.simulator.clock import Clock
from chargeyard.simulator.connector import Connector, ConnectorRating, StopReason


class Station(Protocol):
    @property
    def station_id(self) -> str: ...

    @property
    def connected(self) -> bool: ...

    @property
    def heartbeat_interval(self) -> float:
        """Seconds between heartbeats, as the CSMS last set it."""
        ...

    @property
    def meter_interval(self) -> float:
        """Seconds between meter values during a transaction."""
        ...

    @property
    def connector_ids(self) -> Sequence[int]: ...

    @property
    def commands_received(self) -> int:
        """CALLs the CSMS sent this station."""
        ...

    def connector(self, connector_id: int) -> Connector: ...

    async def ensure_online(self) -> bool:
        """Connect, boot until accepted and report connector states, unless already online.

        Returns False when the CSMS cannot be reached or drops the station while booting.
        """
        ...

    async def wait_disconnected(self) -> None: ...

    async def heartbeat(self) -> datetime: ...

    async def plug_in(self, connector_id: int) -> None: ...

    async def begin_transaction(
        self,
        connector_id: int,
        id_tag: str,
        battery: EVBattery,
        *,
        authorize: bool = True,
        tx_profile: ChargingProfile | None = None,
    ) -> bool:
        """Authorize and start a transaction; False if the CSMS refused the id tag."""
        ...

    async def report_meter(self, connector_id: int) -> None: ...

    async def end_transaction(self, connector_id: int, reason: StopReason) -> None: ...

    async def unplug(self, connector_id: int) -> None: ...

    async def close(self) -> None: ...


class StationFactory(Protocol):
    """The constructor every protocol version's station offers."""

    def __call__(
        self,
        url: str,
        station_id: str,
        *,
        password: str | None = None,
        connectors: int = 2,
        vendor: str = ...,
        model: str = ...,
        heartbeat_interval: int = 60,
        meter_interval: int = 60,
        behaviour: Behaviour = ...,
        rating: ConnectorRating = ...,
        vehicle: Vehicle = ...,
        clock: Clock | None = None,
        recorder: CallRecorder | None = None,
        response_timeout: float = 30.0,
    ) -> Station: ...
