"""Keeping OCPP 2.1 stations that calculate costs locally on the tariffs Chargeyard prices with:
each such station holds, as its default tariffs (OCPP 2.1 I07), the tariff that prices a
session started now by someone in no tariff group, for the station (`evseId` 0) and for each
EVSE whose own tariff differs. They are brought up to date, by the `set-default-tariff` and
`clear-tariffs` commands, when

- such a station connects (`station.connected`): it may have missed a change while it was away,
  and a station that reconnects without booting (the central system restarted, its link
  dropped) says nothing else; only the difference is sent, so a station that holds its plan is
  sent nothing;
- such a station boots and is accepted (`station.booted`): it may have lost its tariffs, so all
  its plan but what was sent on its current connection is sent again;
- a 2.1 station connected to this node reports its device model (`device_model.reported`: it
  may have just said it takes tariffs, as after a `get-base-report`);
- its tariff or its location changes (`station.updated` naming `tariff_id` or `location_id`),
  or an EVSE's tariff (`evse.updated` naming `tariff_id`);
- a location's tariff or parent changes (`location.updated`): the stations under it;
- a tariff is created as the organization's default, changes (a new version, becoming or
  ceasing to be the default) or is deleted (`tariff.*`): the organization's stations.

"Such a station" speaks OCPP 2.1, is connected, and reported `TariffCostCtrlr.Enabled[Tariff]`
as true (`local_calculation.py`): a station that has not said it calculates costs locally is
never sent one. What it should hold is compared with what the command log says it holds
(`station_holdings.py`), and only the difference is sent: a change heard twice, or one that
does not touch the station, sends nothing; a station whose tariff no longer applies has it
cleared (ClearTariffs naming it). Syncs of one station never overlap: a change heard while one
runs makes it run once more afterwards.

A session started under another tariff than the one it is priced with
(`session.tariff_differs`, noted at its Started event by `protocol/v21/driver_tariffs.py`) is
sent that one with the `change-transaction-tariff` command.

A commit listener: it hears of an event once it is durable, and each station's sync runs as a
task, recorded in the command log in the name of `system:tariffs` as an operator's request
would be. A tariff 2.1 cannot express, an offline or refusing station: logged, nothing else
happens (the command log has the answer). Connections and boots of 1.6 and 2.0.1 stations are
told apart by the event alone, without a read or a task; a connection of a 2.1 station asks
`ServerContext.tariff_takers` (remembered per station) whether it takes tariffs, so one known
not to costs nothing either. Tariffs go only to a station whose registration is accepted.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from chargeyard.clock import Clock
from chargeyard.commands.catalog import BY_NAME
from chargeyard.commands.repository import CommandRepository
from chargeyard.commands.runner import CommandRunner
from chargeyard.commands.service import CommandState
from chargeyard.commands.tariff_commands import station_tariff_id
from chargeyard.commands.tariff_schemas import (
    ChangeTransactionTariffIn,
    ClearTariffsIn,
    SetDefaultTariffIn,
)
from chargeyard.device_model.repository import DeviceModelRepository
from chargeyard.errors import ChargeyardError
from chargeyard.events.payloads import (
    DEVICE_MODEL_REPORTED,
    EVSE_UPDATED,
    LOCATION_UPDATED,
    SESSION_TARIFF_DIFFERS,
    STATION_BOOTED,
    STATION_CONNECTED,
    STATION_DISCONNECTED,
    STATION_UPDATED,
    TARIFF_CREATED,
    TARIFF_DELETED,
    TARIFF_UPDATED,
)
from chargeyard.locations.repository import LocationRepository
from chargeyard.organizations.domain import Principal, Role
from chargeyard.stations.domain import RegistrationStatus
from chargeyard.stations.models import Station
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.database import Database
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.tariffs.local_calculation import (
    CONTROLLER,
    INSTANCE,
    PROTOCOL,
    VARIABLE,
    TariffTakers,
    handles_tariffs,
)
from chargeyard.tariffs.service import PricedBy, TariffService
from chargeyard.tariffs.station_holdings import CLEAR, SET, Plan, Sent, Step, holdings, steps
from chargeyard.tracked_tasks import TrackedTasks

logger = logging.getLogger(__name__)

_HELD = frozenset({"Accepted", "DuplicateTariffId"})
_CLEARED = frozenset({"Accepted", "NoTariff"})
HISTORY_READ = 200
"""The latest tariff commands of a station read to know what it holds: a plan is a station
default and the EVSEs with tariffs of their own, so far fewer are ever needed."""

CHANGE = "change-transaction-tariff"
Key = tuple[str, str]


@dataclass(frozen=True)
class TariffsPrincipal(Principal):
    """Acting for an organization: the command log names it, not a user or a token."""

    @property
    def actor(self) -> str:
        return "system:tariffs"


def _changed(changed: Sequence[str], *names: str) -> bool:
    return any(name in changed for name in names)


def _booted(event: Any) -> bool:
    """An accepted boot of a 2.1 station (it may have lost its tariffs, or missed a change
    while offline). Only 2.1 stations take tariffs: other boots cost no read."""
    booted = STATION_BOOTED.data_of(event)
    return bool(
        booted is not None and booted["status"] == "Accepted" and booted["protocol"] == PROTOCOL
    )


def _connected(event: Any) -> bool:
    """A new connection of a 2.1 station: others cost no read."""
    connected = STATION_CONNECTED.data_of(event)
    return connected is not None and connected["protocol"] == PROTOCOL


def _accepted(station: Station) -> bool:
    """Accepted at its last boot and still registered: a station that is not is sent nothing
    but what its boot allows (OCPP 2.x B02, B03)."""
    return station.boot_accepted and station.registration_status == RegistrationStatus.ACCEPTED


def _station_changed(event: Any) -> bool:
    station = STATION_UPDATED.data_of(event)
    if station is not None:
        return _changed(station["changed"], "tariff_id", "location_id")
    evse = EVSE_UPDATED.data_of(event)
    return evse is not None and _changed(evse["changed"], "tariff_id")


def _location_changed(event: Any) -> str | None:
    location = LOCATION_UPDATED.data_of(event)
    if location is not None and _changed(location["changed"], "tariff_id", "parent_id"):
        return location["location_id"]
    return None


def _tariffs_changed(event: Any) -> bool:
    """A new default, a new version of a tariff, the default moving, the default deleted (a
    tariff anything else uses cannot be): the organization's stations are planned again, and
    only a difference is sent."""
    for kind in (TARIFF_CREATED, TARIFF_DELETED):
        tariff = kind.data_of(event)
        if tariff is not None:
            return tariff["is_default"]
    updated = TARIFF_UPDATED.data_of(event)
    return updated is not None and _changed(updated["changed"], "version", "is_default")


def _wire(priced: PricedBy | None) -> str | None:
    return None if priced is None else station_tariff_id(priced.tariff_id, priced.version)


class DefaultTariffSync:
    def __init__(self, db: Database, runner: CommandRunner, timeout_s: float) -> None:
        self.db = db
        self.runner = runner
        self.timeout_s = timeout_s
        self.clock: Clock = runner.ctx.clock
        self.takers: TariffTakers = runner.ctx.tariff_takers
        self.tasks = TrackedTasks()
        self._running: set[Key] = set()
        self._again: dict[Key, bool] = {}
        self._connected: set[Key] = set()
        """The 2.1 stations connected to this node: a device model report of one of them may
        say it now takes tariffs; others' reports cost nothing."""

    def __call__(self, published: Sequence[Any]) -> None:
        """A commit listener: never blocks the commit."""
        for event in published:
            organization_id = event.organization_id
            if _connected(event):
                self._connected.add((organization_id, event.station_id))
                self._reconnected(organization_id, event.station_id)
            elif _booted(event):
                self._sync(organization_id, event.station_id, full=True)
            elif event.type == STATION_DISCONNECTED.name:
                self._connected.discard((organization_id, event.station_id))
            elif _station_changed(event) or self._reported_by_connected(event):
                self._sync(organization_id, event.station_id, full=False)
            elif (location_id := _location_changed(event)) is not None:
                self.tasks.spawn(self._organization(organization_id, location_id))
            elif _tariffs_changed(event):
                self.tasks.spawn(self._organization(organization_id, None))
            elif event.type == SESSION_TARIFF_DIFFERS.name and event.transaction_id is not None:
                self.tasks.spawn(
                    self._session(organization_id, event.station_id, event.transaction_id)
                )

    def _reported_by_connected(self, event: Any) -> bool:
        """A device model report of a 2.1 station connected to this node: no read for a 2.0.1
        station's report."""
        key = (event.organization_id, event.station_id)
        return event.type == DEVICE_MODEL_REPORTED.name and key in self._connected

    def _reconnected(self, organization_id: str, station_id: str) -> None:
        """A 2.1 station connected: synced if it takes tariffs. One known not to costs neither
        a read nor a task (a reconnection storm after a restart is the hot path)."""
        known = self.takers.known(organization_id, station_id)
        if known is None:
            self.tasks.spawn(self._if_taker(organization_id, station_id))
        elif known.enabled:
            self._sync(organization_id, station_id, full=False)

    async def _if_taker(self, organization_id: str, station_id: str) -> None:
        if (await self.takers.of(self.db, organization_id, station_id)).enabled:
            self._sync(organization_id, station_id, full=False)

    def _sync(self, organization_id: str, station_id: str, *, full: bool) -> None:
        key = (organization_id, station_id)
        if key in self._running:
            self._again[key] = self._again.get(key, False) or full
            return
        self._running.add(key)
        self.tasks.spawn(self._station_loop(key, full))

    async def _station_loop(self, key: Key, full: bool) -> None:
        try:
            while True:
                await self._station(*key, full=full)
                if key not in self._again:
                    return
                full = self._again.pop(key)
        finally:
            self._running.discard(key)
            self._again.pop(key, None)

    async def _organization(self, organization_id: str, location_id: str | None) -> None:
        """Every station of the organization (under `location_id`) that reported it takes
        tariffs; each is synced on its own."""
        async with self.db.reading() as uow:
            reported = await DeviceModelRepository(uow.session, organization_id).stations_reporting(
                CONTROLLER, VARIABLE, INSTANCE
            )
            candidates = {v.station_id for v in reported if handles_tariffs([v])}
            if location_id is not None and candidates:
                locations = LocationRepository(uow.session, organization_id)
                under = [row.id for row in await locations.subtree(location_id)]
                candidates &= {station_id for station_id, _ in await locations.stations_at(under)}
        for station_id in sorted(candidates):
            self._sync(organization_id, station_id, full=False)

    async def _station(self, organization_id: str, station_id: str, *, full: bool) -> None:
        async with self.db.reading() as uow:
            station = await StationRepository(uow.session, organization_id).find(station_id)
            if station is None or station.protocol != PROTOCOL or not station.connected:
                return
            if not _accepted(station):  # a boot left pending, or refused since
                return
            model = DeviceModelRepository(uow.session, organization_id)
            if not handles_tariffs(await model.variables_named(station_id, {CONTROLLER})):
                return
            plan = await self._plan(uow, organization_id, station)
            log = await CommandRepository(uow.session, organization_id).latest(
                station_id, (SET, CLEAR), CommandState.ANSWERED.value, HISTORY_READ
            )
            sent = [Sent(r.command, r.ocpp_request or {}, r.status, r.sent_at) for r in log]
            # After a boot it surely holds only what it was sent since it connected.
            sure = holdings(sent, since=station.connected_at or self.clock()) if full else None
            evse_ids = [evse.evse_id for evse in station.evses]
        for step in steps(plan, evse_ids, holdings(sent), sure):
            await self._send(organization_id, station_id, step)

    async def _plan(self, uow: UnitOfWork, organization_id: str, station: Station) -> Plan:
        """The tariff of the station, and of each EVSE whose own tariff differs from it."""
        tariffs = TariffService(uow, organization_id, self.clock)
        at = self.clock()
        plan: Plan = {0: _wire(await tariffs.pricing(station.id, at))}
        for evse in station.evses:
            if evse.tariff_id is None:
                continue  # it follows its station
            own = _wire(await tariffs.pricing(station.id, at, evse_id=evse.evse_id))
            if own != plan[0]:
                plan[evse.evse_id] = own
        return plan

    async def _session(self, organization_id: str, station_id: str, transaction_id: int) -> None:
        """A session the station calculates with another tariff than the one it is priced
        with (`session.tariff_differs`) is given its own."""
        caller = TariffsPrincipal(organization_id, Role.OPERATOR, service=True)
        body = ChangeTransactionTariffIn(transaction_id=transaction_id)
        try:
            record = await self.runner.submit(
                caller, station_id, BY_NAME[CHANGE].request(body), self.timeout_s
            )
        except ChargeyardError as error:  # stopped meanwhile, or 2.1 cannot express it
            logger.info("no tariff for session %s: %s", transaction_id, error.detail)
            return
        if record.state != CommandState.ANSWERED.value or record.status != "Accepted":
            logger.warning(
                "session %s's tariff on %s: %s %s",
                transaction_id,
                station_id,
                record.status or record.state,
                record.error or "",
            )

    async def _send(self, organization_id: str, station_id: str, step: Step) -> None:
        caller = TariffsPrincipal(organization_id, Role.OPERATOR, service=True)
        if step.command == SET:
            request = BY_NAME[SET].request(SetDefaultTariffIn(evse_id=step.evse_id))
            expected = _HELD
        else:
            body = ClearTariffsIn(
                tariff_ids=[step.tariff_id] if step.tariff_id else [],
                evse_id=step.evse_id or None,
            )
            request = BY_NAME[CLEAR].request(body)
            expected = _CLEARED
        try:
            record = await self.runner.submit(caller, station_id, request, self.timeout_s)
        except ChargeyardError as error:  # 2.1 cannot express the tariff
            logger.info("no default tariff for %s: %s", station_id, error.detail)
            return
        if record.state != CommandState.ANSWERED.value or record.status not in expected:
            logger.warning(
                "%s at EVSE %s of %s: %s %s",
                step.command,
                step.evse_id,
                station_id,
                record.status or record.state,
                record.error or "",
            )

    async def stop(self) -> None:
        await self.tasks.stop()
