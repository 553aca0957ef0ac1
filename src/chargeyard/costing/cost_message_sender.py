"""Sending the Open Charge Alliance cost messages (`cost_messages.py`) to the OCPP 1.6 stations
that want them: a station whose `cost_messages` setting an operator turned on (PATCH
/stations/{id}). It is off by default: a 1.6 station that does not implement the convention
would answer a DataTransfer it does not know with UnknownVendorId at best.

A commit listener, like `running_cost.py` for 2.x stations: it hears committed events and sends
what they say, computing nothing new.

- `authorization.accepted` -> `SetUserPrice` with the tariff line of the tariff the tag would be
  priced by (none where no tariff applies). The authorizations heard while a round runs wait
  for the next: one task and one read per round, whose one statement per organization finds
  the stations that take cost messages, instead of a task and a read per authorization (a busy
  network authorizes many tags a second, and most stations take none).
- `session.cost_updated` (live) -> `RunningCost`, at most once per `cost_updated_interval_s` per
  session (the first, at the start, at once), with the event's own cost.
- `session.cost_updated` (final) -> `FinalCost`, with the final cost.

A station that is offline, refuses or does not answer is logged; the session is unaffected.
"""

import logging
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from chargeyard.clock import Clock
from chargeyard.commands.dispatcher import Dispatcher
from chargeyard.commands.domain import DataTransfer
from chargeyard.costing import cost_messages as messages
from chargeyard.costing.evidence import ChargingState
from chargeyard.costing.price_display import prices_in_force, text_for_start
from chargeyard.costing.running_cost import CostThrottle
from chargeyard.costing.service import SessionCosting
from chargeyard.events.payloads import (
    AUTHORIZATION_ACCEPTED,
    SESSION_COST_UPDATED,
    SessionCostUpdated,
)
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.database import Database
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.tariffs.service import TariffService
from chargeyard.tracked_tasks import TrackedTasks
from chargeyard.transactions.repository import TransactionRepository

logger = logging.getLogger(__name__)


class CostMessageSender:
    def __init__(
        self,
        db: Database,
        dispatcher: Dispatcher,
        clock: Clock,
        interval_s: float,
        timeout_s: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db = db
        self.dispatcher = dispatcher
        self.clock = clock
        self.timeout_s = timeout_s
        self.throttle = CostThrottle(interval_s, monotonic)
        self.tasks = TrackedTasks()
        self._authorized: list[tuple[Any, str]] = []
        """Authorizations heard (event, tag) and not yet looked at by a `_user_prices` round."""
        self._pricing = False
        """A `_user_prices` round runs (it takes what is heard meanwhile)."""

    def __call__(self, published: Sequence[Any]) -> None:
        """A commit listener: never blocks the commit; each message is sent by a task."""
        for event in published:
            if event.station_id is None:
                continue
            accepted = AUTHORIZATION_ACCEPTED.data_of(event)
            cost = SESSION_COST_UPDATED.data_of(event)
            if accepted is not None and accepted["id_tag"]:
                self._authorized.append((event, accepted["id_tag"]))
                if not self._pricing:
                    self._pricing = True
                    self.tasks.spawn(self._user_prices())
            elif cost is not None and cost["ocpp_transaction_id"]:
                key = (event.organization_id, event.station_id, cost["ocpp_transaction_id"])
                if cost["final"]:
                    self.throttle.ended(key)
                    self.tasks.spawn(self._final_cost(event, cost))
                elif self.throttle.due(key):
                    self.tasks.spawn(self._running_cost(event, cost))

    async def _wants(self, uow: UnitOfWork, organization_id: str, station_id: str) -> bool:
        stations = StationRepository(uow.session, organization_id)
        return station_id in await stations.taking_cost_messages([station_id])

    async def _user_prices(self) -> None:
        """Rounds until nothing is left: each sends a `SetUserPrice` for every authorization
        heard before it, at a station that takes cost messages, each send a task of its own (a
        silent station holds up no other)."""
        try:
            while self._authorized:
                heard, self._authorized = self._authorized, []
                for station_id, id_tag, text in await self._price_lines(heard):
                    data = messages.set_user_price(id_tag, text)
                    self.tasks.spawn(self._send(station_id, messages.SET_USER_PRICE, data))
        finally:
            self._pricing = False

    async def _price_lines(self, heard: Sequence[tuple[Any, str]]) -> list[tuple[str, str, str]]:
        """(station, tag, tariff line) for the authorizations at stations taking cost
        messages, in the order heard, in one read."""
        by_organization: dict[str, list[tuple[Any, str]]] = {}
        for event, id_tag in heard:
            by_organization.setdefault(event.organization_id, []).append((event, id_tag))
        lines = []
        async with self.db.reading() as uow:
            for org, events in by_organization.items():
                stations = StationRepository(uow.session, org)
                taking = await stations.taking_cost_messages({e.station_id for e, _ in events})
                for event, id_tag in events:
                    if event.station_id not in taking:
                        continue
                    text = await text_for_start(uow, org, self.clock, event.station_id, id_tag)
                    if text is not None:
                        lines.append((event.station_id, id_tag, text))
        return lines

    async def _running_cost(self, event: Any, cost: SessionCostUpdated) -> None:
        org, station_id = event.organization_id, event.station_id
        transaction_id = _wire_transaction_id(cost["ocpp_transaction_id"])
        if transaction_id is None or event.transaction_id is None:
            return
        async with self.db.reading() as uow:
            if not await self._wants(uow, org, station_id):
                return
            tx = await TransactionRepository(uow.session, org).find(event.transaction_id)
            if tx is None or tx.tariff_id is None or tx.tariff_version is None:
                return
            priced = await TariffService(uow, org, self.clock).pinned(
                tx.tariff_id, tx.tariff_version, station_id
            )
            if priced is None:
                return
            evidence = await SessionCosting(uow, org, self.clock).evidence_of(
                tx, priced.timezone, final=False
            )
        elapsed = Fraction(int((evidence.ended_at - evidence.started_at).total_seconds()))
        kwh = (evidence.meter[-1].wh - evidence.meter[0].wh) / 1000
        parked = bool(evidence.states) and evidence.states[-1].state is ChargingState.PARKED
        data = messages.running_cost(
            transaction_id=transaction_id,
            timestamp=event.occurred_at,
            meter_wh=tx.last_meter_wh if tx.last_meter_wh is not None else tx.meter_start_wh,
            cost=Decimal(cost["incl_tax"]),
            idle=parked,
            tariff=priced.definition,
            prices=prices_in_force(
                priced.definition, evidence.ended_at, priced.timezone, elapsed, kwh
            ),
        )
        await self._send(station_id, messages.RUNNING_COST, data)

    async def _final_cost(self, event: Any, cost: SessionCostUpdated) -> None:
        org, station_id = event.organization_id, event.station_id
        transaction_id = _wire_transaction_id(cost["ocpp_transaction_id"])
        if transaction_id is None or event.transaction_id is None:
            return
        async with self.db.reading() as uow:
            if not await self._wants(uow, org, station_id):
                return
            tx = await TransactionRepository(uow.session, org).find(event.transaction_id)
        if tx is None or tx.stopped_at is None:
            return
        data = messages.final_cost(
            transaction_id=transaction_id,
            cost=Decimal(cost["incl_tax"]),
            currency=cost["currency"],
            energy_wh=cost["energy_wh"],
            duration=tx.stopped_at - tx.started_at,
        )
        await self._send(station_id, messages.FINAL_COST, data)

    async def _send(self, station_id: str, message_id: str, data: dict[str, Any]) -> None:
        command = DataTransfer(messages.VENDOR_ID, message_id, messages.encoded(data))
        outcome = await self.dispatcher.send(station_id, command, self.timeout_s)
        if outcome.error is not None:
            logger.warning(
                "could not send %s to %s: %s", message_id, station_id, outcome.error.detail
            )
        elif outcome.answer is not None and outcome.answer.status != "Accepted":
            logger.warning("%s answered %s to %s", station_id, outcome.answer.status, message_id)

    async def stop(self) -> None:
        await self.tasks.stop()


def _wire_transaction_id(value: Any) -> int | None:
    """1.6 transaction ids are integers; anything else is not a 1.6 session."""
    try:
        return int(str(value))
    except ValueError:
        return None
