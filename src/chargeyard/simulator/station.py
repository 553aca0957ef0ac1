"""What a simulated station is, in any OCPP version: `Station` and `StationBase`.

`Station` is what the session driver and the fleet runner need: a station of each protocol
version renders these operations into its own messages (`begin_transaction` is Authorize +
StartTransaction + StatusNotification in 1.6, TransactionEvent(Started) in 2.x), so code
written against it runs unchanged on every version. `StationBase` is what every version's
station keeps and does alike (its charger, vehicle and behaviour; booting until accepted;
rebooting on a reset; plugging a cable in); `v16.SimulatedStation` and
`station_v201.SimulatedStationV201` add their messages and configuration store to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from chargeyard.simulator.battery import MID_SIZE_EV, EVBattery, Vehicle
from chargeyard.simulator.behaviour import Behaviour
from chargeyard.simulator.call_record import CallRecorder
from chargeyard.simulator.charger import Charger
from chargeyard.simulator.charging_profile import ChargingProfile
from chargeyard.simulator.clock import Clock
from chargeyard.simulator.connector import (
    AC_22_KW,
    Connector,
    ConnectorRating,
    ConnectorStatus,
    StopReason,
)
from chargeyard.simulator.cost_display import CostDisplay
from chargeyard.simulator.link_delay import Delay
from chargeyard.simulator.local_list import LocalAuthList
from chargeyard.simulator.station_link import StationLink

_BOOT_RETRY_S = 10.0  # when a Pending/Rejected boot comes back without an interval


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


class StationBase(StationLink):
    """The state and behaviour every version's simulated station shares.

    A version provides its configuration store and own state (`_configure`), its messages
    (`boot`, `status`, `end_transaction`, ...) and what it says after an accepted boot
    (`_after_boot`).
    """

    def __init__(
        self,
        url: str,
        station_id: str,
        *,
        password: str | None = None,
        connectors: int = 2,
        vendor: str = "Chargeyard",
        model: str = "Simulator AC",
        heartbeat_interval: int = 60,
        meter_interval: int = 60,
        behaviour: Behaviour = Behaviour(),
        rating: ConnectorRating = AC_22_KW,
        vehicle: Vehicle = MID_SIZE_EV,
        clock: Clock | None = None,
        recorder: CallRecorder | None = None,
        response_timeout: float = 30.0,
        link_delay: Delay | None = None,
    ) -> None:
        super().__init__(
            url,
            station_id,
            password=password,
            clock=clock,
            recorder=recorder,
            response_timeout=response_timeout,
            link_delay=link_delay,
        )
        self.vendor = vendor
        self.model = model
        self.behaviour = behaviour
        self.vehicle = vehicle  # parked at the station for remotely started sessions
        self.charger = Charger(connectors, rating, self.clock)
        self.local_list = LocalAuthList()
        self.display = CostDisplay(station_id)  # the prices and costs the CSMS sends
        self.registration: str | None = None  # the last boot's answer
        self._accepted = asyncio.Event()
        self.boot_interval = 0
        self._configure(heartbeat_interval, meter_interval)

    @property
    def connector_ids(self) -> Sequence[int]:
        return self.charger.connector_ids

    def connector(self, connector_id: int) -> Connector:
        return self.charger.connector(connector_id)

    async def reboot(self, reason: StopReason) -> None:
        """Reset: end the transactions, drop the connection, connect and boot again."""
        async with self._link_lock:
            for connector in self.charger.connectors.values():
                if connector.transaction is not None:
                    await self.end_transaction(connector.connector_id, reason)
                connector.plugged = False
                connector.status = self.charger.idle_status(connector)
            await self._disconnect()
            if not self._closing:
                await self._relink()

    async def plug_in(self, connector_id: int) -> None:
        self.connector(connector_id).plugged = True
        await self.status(connector_id, ConnectorStatus.PREPARING)

    async def _come_online(self) -> None:
        """Boot until Accepted, honouring the CSMS's retry interval (or booting at once when
        the CSMS triggers a BootNotification meanwhile), then `_after_boot`."""
        while await self.boot() != "Accepted":
            await self._wait_for_retry(self.boot_interval or _BOOT_RETRY_S)
            if self.registration == "Accepted":  # a triggered BootNotification was accepted
                break
        await self._after_boot()

    def _registered(self, status: str) -> None:
        """Note a boot's answer (every version's `boot` calls this)."""
        self.registration = status
        if status == "Accepted":
            self._accepted.set()
        else:
            self._accepted.clear()

    async def _wait_for_retry(self, seconds: float) -> None:
        """The retry interval, cut short by an accepted (triggered) boot."""
        sleeping = asyncio.ensure_future(self.clock.sleep(seconds))
        accepted = asyncio.ensure_future(self._accepted.wait())
        try:
            await asyncio.wait((sleeping, accepted), return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeping.cancel()
            accepted.cancel()

    # -- what a protocol version provides --------------------------------------------

    def _configure(self, heartbeat_interval: int, meter_interval: int) -> None:
        """Build the version's configuration store holding the intervals, and its own state
        (called once, from `__init__`, once the charger exists)."""
        raise NotImplementedError

    async def boot(self) -> str:
        """BootNotification; returns the registration status."""
        raise NotImplementedError

    async def _after_boot(self) -> None:
        """What the station sends once accepted: states, reports, what it could not deliver."""
        raise NotImplementedError

    async def status(self, connector_id: int, status: ConnectorStatus) -> None:
        raise NotImplementedError

    async def end_transaction(self, connector_id: int, reason: StopReason) -> None:
        raise NotImplementedError
