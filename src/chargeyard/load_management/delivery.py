"""Putting a plan's targets in force at the stations, through the `Dispatcher`.

Only what changed is sent, lowering changes first (all answered before any raise goes out), so
the sum of limits stays within the circuit while messages travel. A profile a station rejects
is retried in the other unit (W <-> A); the unit that worked is remembered per vendor, model and
firmware, and a profile no unit got accepted is reported (`charging_profile.rejected`) and not
sent again until it changes. Every attempt's outcome is stored as a time series.

What is in force (and what was refused) is remembered here and stored with each delivery
(`InForceRepository`), so a restarted process reads it back and sends only what changed.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from chargeyard.charging_profiles.domain import Purpose, RateUnit
from chargeyard.clock import Clock
from chargeyard.commands.dispatcher import Dispatcher
from chargeyard.commands.domain import SetChargingProfile
from chargeyard.events.payloads import (
    CHARGING_PROFILE_DELIVERED,
    CHARGING_PROFILE_REJECTED,
    SMART_CHARGING_CONTROLLABLE,
    SMART_CHARGING_UNCONTROLLABLE,
    ChargingProfileDelivery,
    SmartChargingControl,
)
from chargeyard.events.recorder import record_event
from chargeyard.load_management.domain import (
    DeliveryStatus,
    InForceLimit,
    Target,
    Wiring,
    charging_profile,
    from_rate,
    ordered_changes,
    other_unit,
)
from chargeyard.load_management.in_force import Fingerprint, Held, fingerprint_of, profile_of
from chargeyard.load_management.models import ProfileDeliveryRow
from chargeyard.load_management.planner import HeldSchedule, InForce, Key, Plan
from chargeyard.load_management.repository import (
    InForceRepository,
    RecordRepository,
    SiteRepository,
)
from chargeyard.load_management.site_reader import StationInfo
from chargeyard.storage.database import Database
from chargeyard.storage.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)
ACCEPTED = "Accepted"


@dataclass(frozen=True)
class Attempt:
    target: Target
    unit: RateUnit
    status: DeliveryStatus
    detail: str | None
    at: datetime


@dataclass
class Uncontrolled:
    """A station that refused a profile in every unit: counted at its maximum by the planner,
    sent nothing until `retry_at`, then everything it should hold; each refusal doubles the
    wait (up to `MAX_RETRY_S`)."""

    retry_at: datetime
    wait_s: float
    detail: str | None


FIRST_RETRY_S = 60.0
MAX_RETRY_S = 3600.0


class Delivery:
    def __init__(
        self,
        db: Database,
        dispatcher: Dispatcher,
        clock: Clock,
        timeout_s: float,
        resend_step_kw: float = 0.0,
    ) -> None:
        self.db = db
        self.dispatcher = dispatcher
        self.clock = clock
        self.timeout_s = timeout_s
        self.resend_step_kw = resend_step_kw
        """A raise smaller than this is not sent (a lower limit in force is always safe)."""
        self._uncontrolled: dict[str, dict[str, Uncontrolled]] = {}
        self._reports: dict[str, list[tuple[str, str, Uncontrolled | None]]] = {}
        """Stations that became uncontrollable (or controllable again), to record as events."""
        self._held: dict[str, dict[Key, Held]] = {}
        self._refused: dict[str, dict[Key, Fingerprint]] = {}
        self._unanswered: dict[str, dict[Key, float]] = {}
        """The highest limit sent to a place whose answer never came (a timeout, a lost link):
        the station may have it in force, so changes there are ordered against it too."""
        self._dirty: dict[str, set[Key]] = {}
        """Places whose memory changed since it was last stored."""
        self._forgotten: dict[str, set[str]] = {}
        """Stations forgotten before the organization's memory was read back."""

    async def load(self, organization_id: str) -> None:
        """Read back what is in force, once per process and organization."""
        if organization_id in self._held:
            return
        async with self.db.reading() as uow:
            rows = await InForceRepository(uow.session, organization_id).all()
        held: dict[Key, Held] = {}
        refused: dict[Key, Fingerprint] = {}
        for row in rows:
            key = (row.station_id, row.evse_id, Purpose(row.purpose))
            if row.fingerprint and row.profile and row.since and row.first_kw is not None:
                fingerprint = fingerprint_of(row.fingerprint)
                held[key] = Held(fingerprint, row.first_kw, row.since, profile_of(row.profile))
            if row.refused:
                refused[key] = fingerprint_of(row.refused)
        if organization_id in self._held:  # loaded by another caller meanwhile
            return
        self._held[organization_id], self._refused[organization_id] = held, refused
        retry_at = self.clock() + timedelta(seconds=FIRST_RETRY_S)
        self._uncontrolled[organization_id] = {
            key[0]: Uncontrolled(retry_at, FIRST_RETRY_S, None) for key in refused
        }
        for station_id in self._forgotten.pop(organization_id, set()):
            self.forget_station(organization_id, station_id)

    def held_at(self, organization_id: str, station_id: str, evse_id: int) -> dict[Key, Held]:
        """What is in force for EVSE `evse_id`: its own profiles and the station's default."""
        held = self._held.get(organization_id, {})
        keys: list[Key] = [
            (station_id, evse_id, Purpose.TX),
            (station_id, evse_id, Purpose.TX_DEFAULT),
            (station_id, 0, Purpose.TX_DEFAULT),
        ]
        return {key: held[key] for key in keys if key in held}

    def places(self, organization_id: str) -> list[tuple[str, int]]:
        """Every (station, EVSE) with a profile of its own in force."""
        held = self._held.get(organization_id, {})
        return sorted({(key[0], key[1]) for key in held if key[1] > 0})

    def in_force(self, organization_id: str) -> InForce:
        """What is in force, each place at the higher of what it accepted and what it was sent
        unanswered since (an offline station is pinned at what it may have). A place whose
        first profile went unanswered counts at it too: a station that accepted a session's
        first TxProfile and lost its link before the answer arrived draws under it, and read
        as holding nothing, it pinned at its EVSE's 0 W default and its share went to another
        station (26.25 kW on a 21 kW circuit while the stations left)."""
        held = self._held.get(organization_id, {})
        unanswered = self._unanswered.get(organization_id, {})
        limits = {k: max(v.first_kw, unanswered.get(k, v.first_kw)) for k, v in held.items()}
        unconfirmed = {k: kw for k, kw in unanswered.items() if k not in held}
        return InForce(
            limits | unconfirmed,
            {k: v.since for k, v in held.items()},
            {k: s for k, v in held.items() if (s := _held_schedule(v)) is not None},
            frozenset(self._uncontrolled.get(organization_id, {})),
            frozenset(unconfirmed),
        )

    def uncontrolled(self, organization_id: str) -> dict[str, Uncontrolled]:
        return dict(self._uncontrolled.get(organization_id, {}))

    def holds(self, organization_id: str, targets: list[Target]) -> bool:
        """Whether every one of `targets` is in force as planned (accepted, not changed since)."""
        held = self._held.get(organization_id, {})
        for target in targets:
            current = held.get(target.key)
            if current is None or current.fingerprint != target.fingerprint():
                return False
        return True

    def offered_kw(self, organization_id: str, station_id: str, evse_id: int) -> float | None:
        held = self._held.get(organization_id, {}).get((station_id, evse_id, Purpose.TX))
        return None if held is None else held.first_kw

    def forget_station(self, organization_id: str, station_id: str) -> None:
        """The station rebooted: it may have lost its profiles."""
        if organization_id not in self._held:
            self._forgotten.setdefault(organization_id, set()).add(station_id)
            return
        dirty = self._dirty.setdefault(organization_id, set())
        self._uncontrolled.get(organization_id, {}).pop(station_id, None)
        unanswered = self._unanswered.get(organization_id, {})
        for key in [k for k in unanswered if k[0] == station_id]:
            del unanswered[key]
        for table in (self._held[organization_id], self._refused[organization_id]):
            for key in [k for k in table if k[0] == station_id]:
                del table[key]
                dirty.add(key)

    def changes(self, organization_id: str, plan: Plan) -> list[Target]:
        """Targets to send: online stations only, changed since last accepted or refused."""
        held = self._held.setdefault(organization_id, {})
        refused = self._refused.setdefault(organization_id, {})
        dirty = self._dirty.setdefault(organization_id, set())
        wanted = {t.key for t in plan.targets}
        unanswered = self._unanswered.setdefault(organization_id, {})
        for key in [k for k in held if k[0] in plan.site.stations and k not in wanted]:
            if key[2] is Purpose.TX:  # its session ended: the station dropped it too
                del held[key]
                dirty.add(key)
        for key in [k for k in unanswered if k[2] is Purpose.TX and k not in wanted]:
            del unanswered[key]
        uncontrolled = self._uncontrolled.setdefault(organization_id, {})
        now = self.clock()
        changed = []
        for target in plan.targets:
            if not plan.site.stations[target.station_id].connected:
                continue
            fingerprint = target.fingerprint()
            current = held.get(target.key)
            if current is not None and current.fingerprint == fingerprint:
                continue
            backing_off = uncontrolled.get(target.station_id)
            if backing_off is not None:
                due = now >= backing_off.retry_at  # counted at its maximum meanwhile
            else:
                unchanged_refusal = refused.get(target.key) == fingerprint
                small = current is not None and self._small_raise(target, current)
                due = not (unchanged_refusal or small)
            if due:
                changed.append(target)
        return changed

    def _small_raise(self, target: Target, current: Held) -> bool:
        """A single-value limit raised by less than the resend step: not worth a message."""
        if self.resend_step_kw <= 0 or len(target.limits_kw) != 1:
            return False
        if current.fingerprint[3] != target.transaction_id:
            return False
        return 0.0 < target.first_kw - current.first_kw < self.resend_step_kw

    async def apply(self, organization_id: str, plan: Plan) -> list[Attempt]:
        await self.load(organization_id)
        changed = self.changes(organization_id, plan)
        attempts: list[Attempt] = []
        if changed:
            attempts = await self._deliver(organization_id, plan, changed)
        if attempts or self._dirty.get(organization_id):
            await self._record(organization_id, plan, attempts)
        return attempts

    async def _deliver(
        self, organization_id: str, plan: Plan, changed: list[Target]
    ) -> list[Attempt]:
        async with self.db.reading() as uow:
            learnt = await SiteRepository(uow.session, organization_id).unit_preferences()
        in_force = self._in_force_before(organization_id, changed)
        first, rest = ordered_changes(changed, in_force, self.clock())
        attempts: list[Attempt] = []
        for batch in (first, rest):
            results = await asyncio.gather(
                *(self._send(plan.site.stations[t.station_id], t, learnt) for t in batch)
            )
            for tried in results:
                attempts.extend(tried)
                self._settle(organization_id, tried)
            if any(tried[-1].status is not DeliveryStatus.DELIVERED for tried in results):
                # A limit that may not have come down leaves no room for any raise: the raises
                # wait for a step that plans with what is really in force.
                break
        return attempts

    def _in_force_before(
        self, organization_id: str, changed: list[Target]
    ) -> dict[Key, InForceLimit]:
        """What each target replaces (a fleet TxProfile: its whole schedule); a new session's
        TxProfile replaces its EVSE's default. Where a higher limit went out unanswered, at
        least that one: the station may have it, and a change down from it is a decrease (sent
        with the first batch)."""
        held = self._held.get(organization_id, {})
        unanswered = self._unanswered.get(organization_id, {})
        result: dict[Key, InForceLimit] = {}
        for t in changed:
            found = next(
                (
                    held[k]
                    for k in (t.key, (t.station_id, t.evse_id, Purpose.TX_DEFAULT))
                    if k in held
                ),
                None,
            )
            if found is None and t.purpose is Purpose.TX:
                found = held.get((t.station_id, 0, Purpose.TX_DEFAULT))
            if found is None:
                continue
            result[t.key] = _as_sent(found, t.wiring, unanswered.get(t.key, 0.0))
        return result

    def _unit(self, station: StationInfo, learnt: dict[tuple[str, str, str], str]) -> RateUnit:
        chosen = station.rate_unit or learnt.get((station.vendor, station.model, station.firmware))
        return RateUnit(chosen) if chosen else RateUnit.WATTS

    async def _send(
        self, station: StationInfo, target: Target, learnt: dict[tuple[str, str, str], str]
    ) -> list[Attempt]:
        unit = self._unit(station, learnt)
        tried = []
        for candidate in (unit, other_unit(unit)):
            attempt = await self._attempt(target, candidate)
            tried.append(attempt)
            if attempt.status is not DeliveryStatus.REJECTED:
                break
            if station.rate_unit:  # configured: the operator chose the unit, do not switch
                break
        return tried

    async def _attempt(self, target: Target, unit: RateUnit) -> Attempt:
        command = SetChargingProfile(
            evse_id=target.evse_id,
            profile=charging_profile(target, unit),
            ocpp_transaction_id=target.ocpp_transaction_id,
        )
        try:
            outcome = await self.dispatcher.send(target.station_id, command, self.timeout_s)
        except Exception as error:  # a dispatcher bug must not stop the control loop
            logger.exception("sending a profile to %s failed", target.station_id)
            return Attempt(target, unit, DeliveryStatus.FAILED, str(error)[:500], self.clock())
        at = self.clock()
        if outcome.answer is not None:
            if outcome.answer.status == ACCEPTED:
                return Attempt(target, unit, DeliveryStatus.DELIVERED, None, at)
            return Attempt(target, unit, DeliveryStatus.REJECTED, outcome.answer.status, at)
        failure = outcome.error
        detail = None if failure is None else failure.detail[:500]
        if outcome.sent is not None and getattr(failure, "code", None) is not None:
            return Attempt(target, unit, DeliveryStatus.REJECTED, detail, at)  # a CALLERROR
        return Attempt(target, unit, DeliveryStatus.FAILED, detail, at)

    def _settle(self, organization_id: str, tried: list[Attempt]) -> None:
        last = tried[-1]
        key, fingerprint = last.target.key, last.target.fingerprint()
        station_id = last.target.station_id
        uncontrolled = self._uncontrolled.setdefault(organization_id, {})
        reports = self._reports.setdefault(organization_id, [])
        unanswered = self._unanswered.setdefault(organization_id, {})
        if last.status is DeliveryStatus.FAILED:
            # It may have arrived and been applied: until a profile there is accepted (it
            # replaces that one: the same id), count with it.
            sent_kw = last.target.first_kw
            unanswered[key] = max(unanswered.get(key, sent_kw), sent_kw)
            return
        if last.status is DeliveryStatus.DELIVERED:
            unanswered.pop(key, None)
            profile = charging_profile(last.target, last.unit)
            held = Held(fingerprint, last.target.first_kw, last.at, profile)
            self._held[organization_id][key] = held
            self._refused[organization_id].pop(key, None)
            if uncontrolled.pop(station_id, None) is not None:
                reports.append((station_id, last.target.circuit_id, None))
        else:  # refused
            self._refused[organization_id][key] = fingerprint
            before = uncontrolled.get(station_id)
            if before is None:
                marked = Uncontrolled(
                    last.at + timedelta(seconds=FIRST_RETRY_S), FIRST_RETRY_S, last.detail
                )
                reports.append((station_id, last.target.circuit_id, marked))
            elif before.retry_at <= last.at:  # a retry refused too: wait twice as long
                wait_s = min(MAX_RETRY_S, before.wait_s * 2)
                marked = Uncontrolled(last.at + timedelta(seconds=wait_s), wait_s, last.detail)
            else:
                marked = before
            uncontrolled[station_id] = marked
        self._dirty.setdefault(organization_id, set()).add(key)

    async def _record(self, organization_id: str, plan: Plan, attempts: list[Attempt]) -> None:
        async with self.db.writing() as uow:
            repo = SiteRepository(uow.session, organization_id)
            records = RecordRepository(uow.session, organization_id)
            for attempt in attempts:
                records.add(_row(organization_id, attempt))
            for tried in _by_target(attempts):
                last = tried[-1]
                if last.status is DeliveryStatus.FAILED:
                    continue
                if last.status is DeliveryStatus.DELIVERED and len(tried) > 1:
                    station = plan.site.stations[last.target.station_id]
                    await repo.remember_unit(
                        station.vendor, station.model, station.firmware, last.unit, last.at
                    )
                _event(uow, organization_id, tried)
            for station_id, circuit_id, marked in self._reports.pop(organization_id, []):
                _control_event(uow, organization_id, station_id, circuit_id, marked, self.clock())
            await self._store_memory(uow, organization_id)
            await uow.commit()

    async def _store_memory(self, uow: UnitOfWork, organization_id: str) -> None:
        repo = InForceRepository(uow.session, organization_id)
        held = self._held.get(organization_id, {})
        refused = self._refused.get(organization_id, {})
        dirty = sorted(self._dirty.pop(organization_id, set()))
        if dirty:
            await repo.store([(key, held.get(key), refused.get(key)) for key in dirty])


def _control_event(
    uow: UnitOfWork,
    organization_id: str,
    station_id: str,
    circuit_id: str,
    marked: Uncontrolled | None,
    at: datetime,
) -> None:
    """`smart_charging.uncontrollable` once when a station refuses profiles (it is counted at
    its maximum until it accepts one), `smart_charging.controllable` when it accepts again."""
    kind = SMART_CHARGING_CONTROLLABLE if marked is None else SMART_CHARGING_UNCONTROLLABLE
    data: SmartChargingControl = {"station_id": station_id, "circuit_id": circuit_id}
    if marked is not None:
        data["detail"] = marked.detail
        data["retry_at"] = marked.retry_at.isoformat()
    record_event(
        uow,
        organization_id=organization_id,
        kind=kind,
        occurred_at=at,
        station_id=station_id,
        data=data,
    )


def _as_sent(held: Held, wiring: Wiring, at_least_kw: float) -> InForceLimit:
    """What a station holds, from the profile it accepted: a schedule's limits slot by slot as
    the station got them (rounded down when sent), so a change's lower bound of old and new is
    never above what the station has (the fingerprint's 0.01 kW rounding could be)."""
    schedule = held.profile.schedule
    slot_s = held.fingerprint[2]
    if schedule.start is None or not isinstance(slot_s, int) or slot_s <= 0:
        return InForceLimit((held.first_kw,), at_least_kw=at_least_kw)
    slots = max(1, (schedule.duration_s or slot_s) // slot_s)
    values = []
    for k in range(slots):
        under_way = [p for p in schedule.periods if p.start_offset_s <= k * slot_s]
        period = under_way[-1] if under_way else schedule.periods[0]
        values.append(from_rate(period.limit, schedule.unit, wiring))
    return InForceLimit(tuple(values), schedule.start, slot_s, at_least_kw)


def _held_schedule(held: Held) -> HeldSchedule | None:
    """A schedule's limits as its fingerprint keeps them (to 0.01 kW), raised by half that
    step so that each is at least what was sent (and the station, rounding down, applies)."""
    limits, start, slot_s, _transaction_id = held.fingerprint
    if not isinstance(start, datetime) or not isinstance(slot_s, int) or slot_s <= 0:
        return None
    if not isinstance(limits, tuple) or not limits:
        return None
    return HeldSchedule(tuple(float(v) + 0.005 for v in limits), start, slot_s)


def last_per_target(attempts: list[Attempt]) -> list[Attempt]:
    """The outcome of each target: the last of its attempts (the units tried in turn)."""
    return [tried[-1] for tried in _by_target(attempts)]


def _by_target(attempts: list[Attempt]) -> list[list[Attempt]]:
    groups: list[list[Attempt]] = []
    for attempt in attempts:
        # By target, not place: a change that goes out twice (down to the lower of old and
        # new, then as planned) is two targets, each with its own outcome.
        if groups and groups[-1][-1].target == attempt.target:
            groups[-1].append(attempt)
        else:
            groups.append([attempt])
    return groups


def _row(organization_id: str, attempt: Attempt) -> ProfileDeliveryRow:
    t = attempt.target
    return ProfileDeliveryRow(
        organization_id=organization_id,
        circuit_id=t.circuit_id,
        station_id=t.station_id,
        evse_id=t.evse_id,
        transaction_id=t.transaction_id,
        purpose=t.purpose.value,
        unit=attempt.unit.value,
        limit_kw=round(t.first_kw, 3),
        limits=[round(v, 3) for v in t.limits_kw],
        status=attempt.status.value,
        detail=attempt.detail,
        sent_at=attempt.at,
    )


def _event(uow: UnitOfWork, organization_id: str, tried: list[Attempt]) -> None:
    """`charging_profile.delivered` or `.rejected`, once per target, naming the units tried."""
    last, t = tried[-1], tried[-1].target
    delivered = last.status is DeliveryStatus.DELIVERED
    record_event(
        uow,
        organization_id=organization_id,
        kind=CHARGING_PROFILE_DELIVERED if delivered else CHARGING_PROFILE_REJECTED,
        occurred_at=last.at,
        station_id=t.station_id,
        transaction_id=t.transaction_id,
        data=ChargingProfileDelivery(
            circuit_id=t.circuit_id,
            station_id=t.station_id,
            evse_id=t.evse_id,
            transaction_id=t.transaction_id,
            purpose=t.purpose.value,
            unit=last.unit.value,
            units_tried=[a.unit.value for a in tried],
            limit_kw=round(t.first_kw, 3),
            detail="; ".join(a.detail for a in tried if a.detail) or None,
        ),
    )
