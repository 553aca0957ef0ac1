"""The background control loop: re-optimize a site when something that matters changed.

It listens to committed events (`Database.commit_listeners`): a session starting or stopping,
a station connecting, booting or moving to another circuit, a station reporting or clearing
a charging limit of its own, operator changes to circuits, vehicles (their telematics and
planned routes included), prices, demand-response events, measurements or external meters, an operator's power limit a station answered, an EV reporting its
needs, and meter values whose power deviates from what the session was offered. When sessions
wait for a turn (`smart_charging.rotation`), it also steps when the first turn ends.
Organizations so marked are re-optimized at once (after a short pause that lets a burst of
events coalesce); every organization with circuits is also re-optimized every `period_s`. One
step at a time.

In a cluster, an organization's circuits are controlled by one worker at a time: the one holding
the lease `smart_charging:<organization id>` (`cluster/leases.py`). An organization is the unit
because a step reads, plans and delivers all of its sites together and delivery keeps what it
sent per organization; circuits never span organizations, so two workers never control the
same circuit, while several organizations spread over the cluster's workers. Events committed by
other nodes reach the holder by a tail of the event log read every `poll_s` (only for the
organizations it holds); its own commits wake it at once.

Beside the steps it reads OCPP 2.x stations' ChargingStationExternalConstraints back
(`external_constraints.py`) when they are accepted at boot, move, or notify a charging limit.

When `check_period_s` is set, every EVSE with a profile in force is also asked for its
composite schedule that often (beside the steps, not blocking them), and a station applying
something else than requested is reported once as `charging_profile.deviation`.
"""

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chargeyard.circuits.repository import CircuitRepository
from chargeyard.clock import Clock
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.commands.dispatcher import Dispatcher
from chargeyard.commands.domain import TriggerableMessage, TriggerMessage
from chargeyard.errors import ChargeyardError, Conflict
from chargeyard.events.domain import RecordedEvent
from chargeyard.events.payloads import (
    CHARGING_LIMIT_SET,
    CHARGING_PROFILE_DEVIATION,
    COMMAND_ANSWERED,
    CONNECTOR_STATUS_CHANGED,
    EV_CHARGING_NEEDS,
    METER_VALUES_RECEIVED,
    SESSION_STARTED,
    SESSION_STOPPED,
    STATION_BOOTED,
    STATION_CONNECTED,
    STATION_DISCONNECTED,
    STATION_UPDATED,
    ChargingProfileDeviation,
    MeterSample,
)
from chargeyard.events.recorder import record_event
from chargeyard.events.repository import last_position, recorded_after
from chargeyard.events.signal import wait
from chargeyard.load_management.admission import fresh
from chargeyard.load_management.admission_repository import AdmissionRepository
from chargeyard.load_management.delivery import Attempt, Delivery, last_per_target
from chargeyard.load_management.domain import DeliveryStatus
from chargeyard.load_management.external_constraints import OCPP_16, ExternalConstraintReads
from chargeyard.load_management.learnt_departures import LearntDepartures
from chargeyard.load_management.models import AllocationRow
from chargeyard.load_management.planner import Plan
from chargeyard.load_management.repository import (
    RecordRepository,
    TurnRepository,
    managed_organizations,
)
from chargeyard.load_management.schedule_check import (
    DEFAULT_TOLERANCE_KW,
    ScheduleCheck,
    ScheduleChecker,
)
from chargeyard.load_management.step import read_and_plan
from chargeyard.observability.metrics import SMART_CHARGING_STEP_SECONDS
from chargeyard.smart_charging.rotation import Turn
from chargeyard.storage.database import Database

logger = logging.getLogger(__name__)

TRIGGERS = frozenset(
    {
        SESSION_STARTED.name,
        SESSION_STOPPED.name,
        STATION_CONNECTED.name,
        STATION_DISCONNECTED.name,
        STATION_BOOTED.name,
        STATION_UPDATED.name,
        CONNECTOR_STATUS_CHANGED.name,
        EV_CHARGING_NEEDS.name,
    }
)
TRIGGER_PREFIXES = (
    "circuit.",
    "vehicle.",
    "energy_price.",
    "demand_response.",
    "measurement.",
    "session_needs.",
    "evse_wiring.",
    "charging_limit.",
    "external_meter.",
)
PROFILE_COMMANDS = frozenset({"set-charging-profile", "clear-charging-profile"})
"""Commands that may put or remove an operator's power limit (a constraint of the plan)."""
POWER = "Power.Active.Import"
HEARD_MEMORY = 50_000
"""How many event ids are remembered to hear each event once (a second way to the same event
comes within the tail's poll; the oldest are dropped first)."""


@dataclass(frozen=True)
class ControllerConfig:
    period_s: float = 60.0
    deviation_kw: float = 1.5
    """Meter values re-optimize when power differs from the offer by more than this."""
    settle_s: float = 0.02
    call_timeout_s: float = 10.0
    check_period_s: float | None = None
    """How often stations' composite schedules are compared with what was requested; None:
    never (the schedule-check endpoint still works)."""
    constraints_read_period_s: float | None = 900.0
    """How often managed 2.x stations' external constraints are read again (None: only at
    boots, moves and notifications): a change made without a notification is seen within it."""
    check_minutes: int = 15
    check_tolerance_kw: float = DEFAULT_TOLERANCE_KW
    poll_s: float = 0.5
    """How often the event log is read for other nodes' events."""
    resend_step_kw: float = 0.0
    """A limit raised by less than this is not resent (decreases always are)."""


class ControlledElsewhere(Conflict):
    """Another worker holds this organization's smart-charging lease."""

    title = "Smart charging runs on another node"


def lease_name(organization_id: str) -> str:
    return f"smart_charging:{organization_id}"


@dataclass(frozen=True)
class StepResult:
    plans: list[Plan]
    attempts: list[Attempt]
    seconds: float


class SmartChargingController:
    def __init__(
        self,
        db: Database,
        dispatcher: Dispatcher,
        clock: Clock,
        leases: LeaseKeeper,
        config: ControllerConfig = ControllerConfig(),
    ) -> None:
        self.db = db
        self.leases = leases
        self.clock = clock
        self.config = config
        self.delivery = Delivery(
            db, dispatcher, clock, config.call_timeout_s, config.resend_step_kw
        )
        self.departures = LearntDepartures()
        """Each running session's past stays, read once (`learnt_departures`)."""
        self.checker = ScheduleChecker(db, dispatcher, self.delivery, clock, config.call_timeout_s)
        self.reads = ExternalConstraintReads(db, dispatcher, clock, config.call_timeout_s)
        self._to_read: dict[str, set[str]] = {}
        """Organization -> 2.x stations whose external constraints are to be read once this
        worker holds the organization (at its next step)."""
        # (organization, station, EVSE) -> (transaction, deviations) last reported
        self._reported: dict[
            tuple[str, str, int], tuple[int | None, tuple[tuple[float, float], ...]]
        ] = {}
        self._checking: asyncio.Task[None] | None = None
        self._dirty: set[str] = set()
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._allocated: dict[tuple[str, str], dict[int, float]] = {}
        self._tail_position: int | None = None
        self._heard: OrderedDict[str, None] = OrderedDict()
        """Events heard one way (commit or tail) and not yet the other."""
        self._held: set[str] = set()
        self._triggers: set[asyncio.Task[None]] = set()
        self._turn_due: dict[str, float] = {}
        """Organization -> when (monotonic) a turn ends while a session waits for one."""

    # -- listening ---------------------------------------------------------------------

    def __call__(self, published: Sequence[Any]) -> None:
        """This node's commits."""
        self._hear([row for row in published if isinstance(row, RecordedEvent)])

    def _hear(self, events: Sequence[RecordedEvent]) -> None:
        """Each event once, whichever way it comes first: the event log's tail (how other
        nodes' events arrive) holds this node's own too. Heard twice, a station's fresh boot
        made delivery forget the profiles it had accepted since, and the next step sent its
        raise beside the decreases that were to make room for it (what a station is believed
        to lack goes out in the first batch): 26.25 kW on a 21 kW circuit while it joined."""
        for event in events:
            if not _relevant(event):
                continue
            if event.id in self._heard:
                del self._heard[event.id]  # its second way here
                continue
            self._heard[event.id] = None
            if self._matters(event):
                self._dirty.add(event.organization_id)
                self._wake.set()
        while len(self._heard) > HEARD_MEMORY:
            self._heard.popitem(last=False)

    def _matters(self, event: RecordedEvent) -> bool:
        booted = STATION_BOOTED.data_of(event)
        if booted is not None and event.station_id and fresh(booted["admission"]):
            # Profiles may be lost at a fresh boot; the boots of a station waiting for
            # admission, and the one that ends its wait, keep what was put in place meanwhile.
            self.delivery.forget_station(event.organization_id, event.station_id)
        if _reads_external_constraints(event) and event.station_id:
            self._to_read.setdefault(event.organization_id, set()).add(event.station_id)
        if event.type in TRIGGERS or event.type.startswith(TRIGGER_PREFIXES):
            return True
        if (answered := COMMAND_ANSWERED.data_of(event)) is not None:
            return answered["command"] in PROFILE_COMMANDS
        metered = METER_VALUES_RECEIVED.data_of(event)
        if metered is None or event.station_id is None:
            return False
        offered = self.delivery.offered_kw(
            event.organization_id, event.station_id, int(metered["evse_id"] or 0)
        )
        measured = _power_kw(metered["samples"])
        if offered is None or measured is None:
            return False
        return abs(measured - offered) > self.config.deviation_kw

    # -- running -----------------------------------------------------------------------

    def start(self) -> None:
        self.db.commit_listeners.append(self)
        self._task = asyncio.create_task(self._run(), name="smart-charging")

    async def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        if self._checking is not None:
            self._checking.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._checking
        for trigger in tuple(self._triggers):
            trigger.cancel()
        await self.reads.stop()
        if self._task is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(self.config.call_timeout_s + 5):
                    await self._task  # cancelled when the deadline passes
        with contextlib.suppress(ValueError):
            self.db.commit_listeners.remove(self)

    async def _run(self) -> None:
        next_period = time.monotonic()
        check_s = self.config.check_period_s
        next_check = next_period + check_s if check_s else float("inf")
        read_s = self.config.constraints_read_period_s
        next_read = next_period + read_s if read_s else float("inf")
        while not self._stopping:
            try:
                await self._tail()
            except Exception:
                logger.exception("reading other nodes' events failed")
            if time.monotonic() >= next_period:
                self._dirty |= set(await self._managed_organizations())
                next_period = time.monotonic() + self.config.period_s
            if check_s and time.monotonic() >= next_check:
                self._start_checks()
                next_check = time.monotonic() + check_s
            if read_s and time.monotonic() >= next_read:
                try:
                    await self.read_constraints()
                except Exception:
                    logger.exception("asking for external constraint reads failed")
                next_read = time.monotonic() + read_s
            for organization_id, due in list(self._turn_due.items()):
                if time.monotonic() >= due:
                    del self._turn_due[organization_id]
                    self._dirty.add(organization_id)
            while self._dirty and not self._stopping:
                await asyncio.sleep(self.config.settle_s)
                organization_id = self._dirty.pop()
                try:
                    await self.step(organization_id)
                except ControlledElsewhere:
                    pass
                except Exception:
                    logger.exception("smart charging step failed for %s", organization_id)
            self._wake.clear()
            if self._dirty:
                continue
            next_wake = min(next_period, next_check, next_read, *self._turn_due.values())
            next_wake -= time.monotonic()
            await wait(self._wake, max(0.0, min(next_wake, self.config.poll_s)))

    async def _managed_organizations(self) -> list[str]:
        async with self.db.reading() as uow:
            return await managed_organizations(uow.session)

    async def _tail(self) -> None:
        """Hear the events other nodes committed for the organizations this worker controls
        (the log holds this node's too: `_hear` passes each event once)."""
        async with self.db.reading() as uow:
            held = sorted(o for o in self._held if self.leases.holds(lease_name(o)))
            if self._tail_position is None or not held:
                self._tail_position = await last_position(uow.session)
                return
            events, last = await recorded_after(
                uow.session, self._tail_position, held, limit=1000, wanted=_relevant_type
            )
        if last is not None:
            self._tail_position = last
        self._hear(events)

    async def step(self, organization_id: str) -> StepResult:
        """Read, optimize and deliver every managed site of the organization (raises
        `ControlledElsewhere` when another worker holds the organization's lease)."""
        if not await self.leases.acquire(lease_name(organization_id)):
            self._held.discard(organization_id)
            self._to_read.pop(organization_id, None)  # the controlling node reads them
            raise ControlledElsewhere(
                "another node controls this organization's circuits and re-optimizes them itself"
            )
        self._held.add(organization_id)
        for station_id in sorted(self._to_read.pop(organization_id, ())):
            self.reads.request(organization_id, station_id)
        async with self._lock:
            started = time.perf_counter()
            now = self.clock()
            planned = await read_and_plan(
                self.db, self.delivery, organization_id, now, departures=self.departures
            )
            plans, turns, waiting = planned.plans, planned.turns, planned.waiting
            attempts: list[Attempt] = []
            admitted: list[str] = []
            for made in plans:
                delivered = await self.delivery.apply(organization_id, made)
                attempts += delivered
                admitted += self._admissible(
                    organization_id, made, delivered, planned.in_force.uncontrolled
                )
            await self._record(organization_id, plans)
            await self._remember_turns(organization_id, plans, turns, now)
            await self._admit(organization_id, {k: waiting[k] for k in admitted if k in waiting})
            seconds = time.perf_counter() - started
            SMART_CHARGING_STEP_SECONDS.observe(seconds)
            return StepResult(plans, attempts, seconds)

    # -- turns -----------------------------------------------------------------------------

    async def _remember_turns(
        self, organization_id: str, plans: list[Plan], before: dict[int, Turn], now: datetime
    ) -> None:
        """Store where every running session stands in its rotation, and step again when the
        first turn ends while someone waits (not a period later)."""
        after: dict[int, Turn] = {}
        ends: list[datetime] = []
        for made in plans:
            site_turns = {
                made.site.sessions[sid].transaction_id: t for sid, t in made.turns.items()
            }
            after |= site_turns
            if any(t.waiting_since is not None for t in site_turns.values()):
                ends += [
                    t.turn_ends for t in site_turns.values() if t.turn_ends and t.turn_ends > now
                ]
        if ends:
            self._turn_due[organization_id] = time.monotonic() + (min(ends) - now).total_seconds()
        else:
            self._turn_due.pop(organization_id, None)
        if after == before:
            return
        async with self.db.writing() as uow:
            await TurnRepository(uow.session, organization_id).replace(after)
            await uow.commit()

    # -- admitting stations that wait at boot ----------------------------------------------

    def _admissible(
        self,
        organization_id: str,
        made: Plan,
        attempts: list[Attempt],
        uncontrolled: frozenset[str],
    ) -> list[str]:
        """The connected stations of a site whose limits are all in place, in a step whose
        every change was acknowledged (so every decrease that made room for them is in force
        before they may start a session). A station already known to refuse profiles when the
        step planned is ready too: that plan counted it at its maximum."""
        if any(a.status is not DeliveryStatus.DELIVERED for a in last_per_target(attempts)):
            return []
        ready = []
        for station_id, station in made.site.stations.items():
            if not station.connected:
                continue
            targets = [t for t in made.targets if t.station_id == station_id]
            if station_id in uncontrolled or (
                targets and self.delivery.holds(organization_id, targets)
            ):
                ready.append(station_id)
        return ready

    async def _admit(self, organization_id: str, ready: dict[str, datetime]) -> None:
        """Admit the stations in `ready` (station -> the start of its wait as this step read
        it) unless they booted again since, and ask them to boot again."""
        if not ready:
            return
        async with self.db.writing() as uow:
            rows = await AdmissionRepository(uow.session, organization_id).waiting_rows(list(ready))
            now = self.clock()
            admitted = []
            for row in rows:
                if row.pending_since == ready[row.station_id]:
                    row.admitted_at = now
                    admitted.append(row.station_id)
            await uow.commit()
        for station_id in admitted:
            task = asyncio.create_task(self._trigger_boot(station_id))
            self._triggers.add(task)
            task.add_done_callback(self._triggers.discard)

    async def _trigger_boot(self, station_id: str) -> None:
        """TriggerMessage BootNotification; a station that ignores it boots again at its
        interval, which admits it all the same."""
        command = TriggerMessage(message=TriggerableMessage.BOOT_NOTIFICATION)
        outcome = await self.delivery.dispatcher.send(
            station_id, command, self.config.call_timeout_s
        )
        if outcome.answer is None:
            logger.info("no answer to a boot trigger from %s: %s", station_id, outcome.error)

    async def read_constraints(self) -> None:
        """Ask every connected 2.x station on a circuit of the organizations this worker
        controls for its external constraints again. A station notifies a change only above
        its LimitChangeSignificance, and the external system may replace a profile without a
        word: read only at boots, moves and notifications, such a change waited for the next
        of those. The reads run beside the steps, one at a time per station."""
        for organization_id in await self._managed_organizations():
            if not self.leases.holds(lease_name(organization_id)):
                continue  # its controller (on another worker) reads them
            async with self.db.reading() as uow:
                circuits = CircuitRepository(uow.session, organization_id)
                station_ids = await circuits.placed_2x_online()
            for station_id in station_ids:
                self.reads.request(organization_id, station_id)

    # -- checking what stations apply ------------------------------------------------------

    def _start_checks(self) -> None:
        """Run a round of checks beside the steps, unless the last one is still running."""
        if self._checking is None or self._checking.done():
            self._checking = asyncio.create_task(self._check_all(), name="schedule-checks")

    async def _check_all(self) -> None:
        for organization_id in await self._managed_organizations():
            if not self.leases.holds(lease_name(organization_id)):
                continue  # its controller (on another worker) checks it
            try:
                await self.check_schedules(organization_id)
            except Exception:
                logger.exception("schedule check failed for %s", organization_id)

    async def check_schedules(self, organization_id: str) -> list[ScheduleCheck]:
        """Compare every EVSE with a profile in force with what its station applies; record
        `charging_profile.deviation` once per deviation (again only after it cleared or
        changed). Stations that cannot answer are skipped."""
        await self.delivery.load(organization_id)
        places = self.delivery.places(organization_id)
        found = await asyncio.gather(*(self._check(organization_id, *p) for p in places))
        checks = [check for check in found if check is not None]
        await self._report(organization_id, checks)
        return checks

    async def _check(
        self, organization_id: str, station_id: str, evse_id: int
    ) -> ScheduleCheck | None:
        try:
            check = await self.checker.check(
                organization_id,
                station_id,
                evse_id,
                self.config.check_minutes,
                self.config.check_tolerance_kw,
            )
        except ChargeyardError as error:
            logger.info("no composite schedule from %s #%d: %s", station_id, evse_id, error)
            return None
        if self.delivery.held_at(organization_id, station_id, evse_id) != check.basis:
            return None  # a step changed the profiles meanwhile: the comparison is stale
        return check

    async def _report(self, organization_id: str, checks: list[ScheduleCheck]) -> None:
        new = []
        for check in checks:
            key = (organization_id, check.station_id, check.evse_id)
            # The session is part of the fact: a deviation first seen before the station's
            # transaction was known is reported again, once, for the session it then belongs to.
            deviations = tuple((d.requested_kw, d.effective_kw) for d in check.deviations)
            if not deviations:
                self._reported.pop(key, None)
            elif self._reported.get(key) != (check.transaction_id, deviations):
                self._reported[key] = (check.transaction_id, deviations)
                new.append(check)
        if not new:
            return
        async with self.db.writing() as uow:
            for check in new:
                record_event(
                    uow,
                    organization_id=organization_id,
                    kind=CHARGING_PROFILE_DEVIATION,
                    occurred_at=check.start,
                    station_id=check.station_id,
                    transaction_id=check.transaction_id,
                    data=deviation_data(check),
                )
            await uow.commit()

    async def _record(self, organization_id: str, plans: list[Plan]) -> None:
        """Store each site's result when it differs from the last one stored."""
        rows = []
        for made in plans:
            key = (organization_id, made.site.root_id)
            result = {
                made.site.sessions[sid].transaction_id: round(kw, 2)
                for sid, kw in made.power_kw.items()
            }
            if self._allocated.get(key) == result:
                continue
            self._allocated[key] = result
            for sid, kw in made.power_kw.items():
                info = made.site.sessions[sid]
                values = made.schedules.get(sid)
                rows.append(
                    AllocationRow(
                        organization_id=organization_id,
                        circuit_id=made.site.root_id,
                        station_id=info.station_id,
                        evse_id=info.evse_id,
                        transaction_id=info.transaction_id,
                        at=made.site.snapshot.now,
                        power_kw=round(kw, 3),
                        objective=made.site.objective.value,
                        schedule=None if values is None else [round(v, 3) for v in values],
                    )
                )
        if not rows:
            return
        async with self.db.writing() as uow:
            RecordRepository(uow.session, organization_id).add_all(rows)
            await uow.commit()


def _reads_external_constraints(event: RecordedEvent) -> bool:
    """Whether the event is a reason to read the station's external constraints: an accepted
    boot of a 2.x station (it may hold some from before; a station still Pending may not send
    the reports), a move (onto a circuit), a limit it notified (the profile behind it)."""
    if (booted := STATION_BOOTED.data_of(event)) is not None:
        return booted["protocol"] != OCPP_16 and booted["status"] == "Accepted"
    if (updated := STATION_UPDATED.data_of(event)) is not None:
        return "circuit_id" in updated["changed"]
    return event.type == CHARGING_LIMIT_SET.name


def _relevant(event: RecordedEvent) -> bool:
    """Whether the controller may act on an event of this type (`_matters` decides)."""
    return _relevant_type(event.type)


def _relevant_type(kind: str) -> bool:
    return (
        kind in TRIGGERS
        or kind.startswith(TRIGGER_PREFIXES)
        or kind in (METER_VALUES_RECEIVED.name, COMMAND_ANSWERED.name)
    )


def deviation_data(check: ScheduleCheck) -> ChargingProfileDeviation:
    return {
        "station_id": check.station_id,
        "evse_id": check.evse_id,
        "transaction_id": check.transaction_id,
        "tolerance_kw": check.tolerance_kw,
        "deviations": [
            {
                "start": d.start.isoformat(),
                "end": d.end.isoformat(),
                "requested_kw": d.requested_kw,
                "effective_kw": d.effective_kw,
            }
            for d in check.deviations
        ],
    }


def _power_kw(samples: list[MeterSample]) -> float | None:
    for sample in samples:
        if sample["measurand"] == POWER and sample["phase"] in (None, ""):
            try:
                value = float(sample["value"])
            except ValueError:
                return None
            return value if sample["unit"] == "kW" else value / 1000.0
    return None
