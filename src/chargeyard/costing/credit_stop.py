"""Stopping a prepaid driver's session when its live cost has used up the balance.

`SessionCosting.metered` records `session.credit_exhausted` (with the reason) in the unit of
work that priced the reading; this commit listener hears it once committed and asks the station
to stop the session (RemoteStop through the dispatcher, which reaches the station on whichever
worker holds its socket). The station's own stop then closes the session and issues its CDR as
usual. A station that refuses or is offline leaves the session running: the outcome is logged,
and the balance may go below zero by what the session costs after that.
"""

import logging
from collections.abc import Sequence
from typing import Any

from chargeyard.commands.dispatcher import Dispatcher
from chargeyard.commands.domain import RemoteStop
from chargeyard.events.payloads import SESSION_CREDIT_EXHAUSTED
from chargeyard.tracked_tasks import TrackedTasks

logger = logging.getLogger(__name__)


class CreditStop:
    def __init__(self, dispatcher: Dispatcher, timeout_s: float) -> None:
        self.dispatcher = dispatcher
        self.timeout_s = timeout_s
        self.tasks = TrackedTasks()

    def __call__(self, published: Sequence[Any]) -> None:
        """A commit listener: never blocks the commit; each stop runs as a task."""
        for event in published:
            exhausted = SESSION_CREDIT_EXHAUSTED.data_of(event)
            if exhausted is None or event.station_id is None:
                continue
            if exhausted["ocpp_transaction_id"] is not None:
                self.tasks.spawn(self._stop(event.station_id, exhausted["ocpp_transaction_id"]))

    async def _stop(self, station_id: str, ocpp_transaction_id: str) -> None:
        outcome = await self.dispatcher.send(
            station_id, RemoteStop(ocpp_transaction_id=ocpp_transaction_id), self.timeout_s
        )
        if outcome.error is not None:
            logger.warning(
                "could not stop session %s on %s (prepaid balance used up): %s",
                ocpp_transaction_id,
                station_id,
                outcome.error.detail,
            )

    async def stop(self) -> None:
        await self.tasks.stop()
