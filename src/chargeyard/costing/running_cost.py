"""Telling an OCPP 2.x station a running session's cost in a `CostUpdated` call (OCPP 2.0.1 use
case I02), for stations that show costs.

Every live cost change is a `session.cost_updated` event, recorded in the unit of work that
priced the evidence (`costing/service.py`); this commit listener hears it once committed and
sends the event's own `incl_tax`, so the station is shown exactly the cost Chargeyard stored
(the pricing code that issues the CDR computed it; nothing here prices anything). The
TransactionEvent response already carries the cost of the event it answers (`totalCost`);
`CostUpdated` adds what a response cannot: the cost at a session's start (a flat fee), costs
that readings sent in a separate MeterValues message change, and stations that read `totalCost`
only at the end (2.0.1's wording of that field).

Who gets it: a station whose reported device model (`device_model/`, from a NotifyReport) says
`TariffCostCtrlr.Enabled[Cost]` is `true`. Others, 1.6 stations included, never do: a station
that has not said it can show a cost is not sent one. How often: at most once per
`cost_updated_interval_s` per session (the first change at once); the final cost goes in the
Ended event's response (use case I03), never here. A station that is offline, refuses or does not
answer is logged; the session is unaffected.
"""

import logging
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from chargeyard.commands.device_management import CostUpdated
from chargeyard.commands.dispatcher import Dispatcher
from chargeyard.device_model.repository import DeviceModelRepository
from chargeyard.events.payloads import SESSION_COST_UPDATED
from chargeyard.storage.database import Database
from chargeyard.tracked_tasks import TrackedTasks

logger = logging.getLogger(__name__)

TARIFF_COST_CTRLR = "TariffCostCtrlr"

SessionKey = tuple[str, str, str]  # organization, station, the station's transaction id


class CostThrottle:
    """When each running session was last sent its cost: a session is due again once
    `interval_s` has passed. A session's entry goes with its final cost; entries of sessions
    that never reported an end are dropped after a day (`_prune`), so the table stays small."""

    FORGET_AFTER_S = 86_400.0

    def __init__(self, interval_s: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.interval_s = interval_s
        self.monotonic = monotonic
        self._sent: dict[SessionKey, float] = {}

    def due(self, key: SessionKey) -> bool:
        """True (and noted as sent now) when the session may be sent its cost now."""
        now = self.monotonic()
        last = self._sent.get(key)
        if last is not None and now - last < self.interval_s:
            return False
        self._sent[key] = now
        if len(self._sent) > 10_000:
            self._prune(now)
        return True

    def ended(self, key: SessionKey) -> None:
        self._sent.pop(key, None)

    def _prune(self, now: float) -> None:
        for key, at in list(self._sent.items()):
            if now - at > self.FORGET_AFTER_S:
                del self._sent[key]


def shows_costs(variables: Sequence[Any]) -> bool:
    """The station reported `TariffCostCtrlr.Enabled[Cost]` (its actual value) as true."""
    return any(
        v.component_name == TARIFF_COST_CTRLR
        and v.variable_name == "Enabled"
        and v.variable_instance == "Cost"
        and v.attribute_type == "Actual"
        and (v.value or "").strip().lower() == "true"
        for v in variables
    )


class RunningCostUpdates:
    def __init__(
        self,
        db: Database,
        dispatcher: Dispatcher,
        interval_s: float,
        timeout_s: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.dispatcher = dispatcher
        self.timeout_s = timeout_s
        self.throttle = CostThrottle(interval_s, monotonic)
        self.tasks = TrackedTasks()

    def __call__(self, published: Sequence[Any]) -> None:
        """A commit listener: never blocks the commit; each update runs as a task."""
        for event in published:
            cost = SESSION_COST_UPDATED.data_of(event)
            if cost is None or event.station_id is None:
                continue
            ocpp_transaction_id = cost["ocpp_transaction_id"]
            if ocpp_transaction_id is None:
                continue
            key = (event.organization_id, event.station_id, ocpp_transaction_id)
            if cost["final"]:
                self.throttle.ended(key)
                continue
            if not self.throttle.due(key):
                continue
            total = Decimal(cost["incl_tax"])
            self.tasks.spawn(self._send(key, total))

    async def _send(self, key: SessionKey, total: Decimal) -> None:
        organization_id, station_id, ocpp_transaction_id = key
        async with self.db.reading() as uow:
            variables = await DeviceModelRepository(uow.session, organization_id).variables_named(
                station_id, {TARIFF_COST_CTRLR}
            )
        if not shows_costs(variables):
            return
        outcome = await self.dispatcher.send(
            station_id, CostUpdated(ocpp_transaction_id, total), self.timeout_s
        )
        if outcome.error is not None:
            logger.warning(
                "could not send the running cost of session %s to %s: %s",
                ocpp_transaction_id,
                station_id,
                outcome.error.detail,
            )

    async def stop(self) -> None:
        await self.tasks.stop()
