"""`ClusterDispatcher`: a command reaches the station wherever in the cluster its socket is.

It implements `commands/dispatcher.py: Dispatcher`. A station whose socket this worker holds
is served by the local dispatcher (the OCPP adapter's, handed in by the wiring); otherwise the
command goes over the bus to the live worker holding it, which runs it through its own local
dispatcher and sends the outcome back. The caller sees today's answers either way: 409
(`StationOffline`) when no live worker holds the station or its worker went away, 504
(`StationTimeout`) when the station stays silent, 502 (`StationCallError`) for a CALLERROR.

`on_round_trip` (result, seconds) hears every command that crossed the bus, for metrics.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from chargeyard.cluster.bus import Bus, BusError
from chargeyard.cluster.mailbox import Mailbox, WorkerGone
from chargeyard.commands import wire
from chargeyard.commands.dispatcher import Dispatcher, Outcome
from chargeyard.commands.domain import Command
from chargeyard.errors import ChargeyardError, StationOffline, StationTimeout

logger = logging.getLogger(__name__)

TOPIC = "command"
# How much longer than the station's own timeout the caller waits for the holder's answer: the
# holder reports the station's silence itself, this only covers the trip over the bus.
REPLY_GRACE_S = 5.0

RoundTrip = Callable[[str, float], None]
# Whether this worker holds the station's socket (asked of the OCPP adapter's registry).
Holds = Callable[[str], bool]


class ClusterDispatcher(Dispatcher):
    def __init__(
        self,
        local: Dispatcher,
        holds: Holds,
        bus: Bus,
        mailbox: Mailbox,
        on_round_trip: RoundTrip | None = None,
    ) -> None:
        self.local = local
        self.holds = holds
        self.bus = bus
        self.mailbox = mailbox
        self.on_round_trip = on_round_trip
        mailbox.on_request(TOPIC, self._serve)

    async def send(self, station_id: str, command: Command, timeout_s: float) -> Outcome:
        if self.holds(station_id):
            return await self.local.send(station_id, command, timeout_s)
        try:
            holder = await self.bus.holder(station_id)
        except BusError as error:
            return Outcome(error=StationOffline(f"station {station_id!r}: cluster bus: {error}"))
        if holder is None or holder == self.bus.worker_id:
            return Outcome(error=StationOffline(f"station {station_id!r} is not connected"))
        started = time.perf_counter()
        outcome = await self._forward(holder, station_id, command, timeout_s)
        if self.on_round_trip is not None:
            result = "ok" if outcome.error is None else type(outcome.error).__name__
            self.on_round_trip(result, time.perf_counter() - started)
        return outcome

    async def _forward(
        self, holder: str, station_id: str, command: Command, timeout_s: float
    ) -> Outcome:
        body = {
            "station_id": station_id,
            "command": wire.dump_command(command),
            "timeout_s": timeout_s,
        }
        try:
            reply = await self.mailbox.request(holder, TOPIC, body, timeout_s + REPLY_GRACE_S)
            return wire.load_outcome(reply)
        except WorkerGone:
            return Outcome(error=StationOffline(f"station {station_id!r}: its worker is gone"))
        except TimeoutError:
            return Outcome(error=await self._silence(holder, station_id, timeout_s))
        except BusError as error:
            return Outcome(error=StationOffline(f"station {station_id!r}: cluster bus: {error}"))
        except (KeyError, TypeError, ValueError) as error:
            logger.error(
                "station %s: unreadable answer from worker %s: %s", station_id, holder, error
            )
            return Outcome(error=ChargeyardError("the worker holding the station answered badly"))

    async def _silence(self, holder: str, station_id: str, timeout_s: float) -> ChargeyardError:
        """No answer at all: the holder died mid-call (409) or the trip itself was too slow."""
        try:
            alive = bool(await self.bus.alive([holder]))
        except BusError:
            alive = False
        if not alive:
            return StationOffline(f"station {station_id!r}: its worker went away")
        return StationTimeout(f"station {station_id!r} did not answer within {timeout_s:g} s")

    async def _serve(self, body: Any) -> dict[str, Any]:
        """Another worker's command for a station whose socket this worker holds."""
        station_id = str(body["station_id"])
        try:
            command = wire.load_command(body["command"])
        except (ChargeyardError, ValueError) as error:
            return wire.dump_outcome(Outcome(error=ChargeyardError(f"unreadable command: {error}")))
        outcome = await self.local.send(station_id, command, float(body["timeout_s"]))
        return wire.dump_outcome(outcome)
