"""Delivery against a scripted dispatcher: only changes, lowering first, the other unit on
rejection (remembered per vendor/model/firmware), rejections reported."""

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from chargeyard.charging_profiles.domain import Purpose
from chargeyard.commands.dispatcher import Dispatcher, Outcome
from chargeyard.commands.domain import Answer, Command, SetChargingProfile
from chargeyard.errors import ChargeyardError
from chargeyard.events.models import Event
from chargeyard.load_management.delivery import Delivery
from chargeyard.load_management.domain import AC_22KW, DeliveryStatus, Target
from chargeyard.load_management.planner import Plan, plan
from chargeyard.load_management.repository import SiteRepository
from chargeyard.load_management.site_reader import Site, StationInfo
from chargeyard.smart_charging.snapshot import Objective, SessionId
from chargeyard.storage.database import Database
from tests.conftest import Tenant
from tests.load_management.test_planner import EMPTY, NOW, make_site
from tests.support.payloads import fits


class Scripted(Dispatcher):
    def __init__(self, accepts: set[str]) -> None:
        self.accepts = accepts
        self.sent: list[tuple[str, SetChargingProfile]] = []

    async def send(self, station_id: str, command: Command, timeout_s: float) -> Outcome:
        assert isinstance(command, SetChargingProfile)
        self.sent.append((station_id, command))
        status = "Accepted" if command.profile.schedule.unit.value in self.accepts else "Rejected"
        return Outcome(answer=Answer(status, {}))


async def _delivery(tenant: Tenant, accepts: set[str]) -> tuple[Delivery, Scripted, Database]:
    db = Database(tenant.server.settings.database_url)
    scripted = Scripted(accepts)
    return Delivery(db, scripted, lambda: NOW, 1.0), scripted, db


async def test_only_changes_go_out_and_lowering_ones_first(tenant: Tenant) -> None:
    delivery, scripted, db = await _delivery(tenant, {"W"})
    try:
        site = make_site(22, [True, False])
        first = await delivery.apply(tenant.organization_id, plan(site, EMPTY))
        again = await delivery.apply(
            tenant.organization_id, plan(site, delivery.in_force(tenant.organization_id))
        )
        busier = make_site(22, [True, True])
        scripted.sent.clear()
        await delivery.apply(
            tenant.organization_id, plan(busier, delivery.in_force(tenant.organization_id))
        )
    finally:
        await db.dispose()
    assert {a.status for a in first} == {DeliveryStatus.DELIVERED} and len(first) == 3
    assert again == []
    limits = [(c.evse_id, float(c.profile.schedule.periods[0].limit)) for _, c in scripted.sent]
    assert limits[0] == (1, 11000.0)  # the running session is lowered before the other rises
    assert limits[-1] == (2, 11000.0)


async def test_a_rejected_unit_is_retried_and_remembered(tenant: Tenant) -> None:
    delivery, scripted, db = await _delivery(tenant, {"A"})
    try:
        attempts = await delivery.apply(tenant.organization_id, plan(make_site(16, [True]), EMPTY))
        async with db.reading() as uow:
            learnt = await SiteRepository(uow.session, tenant.organization_id).unit_preferences()
    finally:
        await db.dispose()
    units = [a.unit.value for a in attempts]
    assert units == ["W", "A", "W", "A"]  # the station default, then the session
    tx = scripted.sent[-1][1].profile
    assert (tx.schedule.unit.value, float(tx.schedule.periods[0].limit)) == ("A", 23.1)
    assert tx.schedule.periods[0].number_phases == 3
    assert learnt == {("v", "m", "f"): "A"}


async def test_a_profile_no_unit_fits_is_reported_once(tenant: Tenant) -> None:
    delivery, scripted, db = await _delivery(tenant, set())
    try:
        site = make_site(16, [True])
        await delivery.apply(tenant.organization_id, plan(site, EMPTY))
        count = len(scripted.sent)
        await delivery.apply(tenant.organization_id, plan(site, EMPTY))
        async with db.reading() as uow:
            events: Any = (
                await uow.session.scalars(
                    select(Event).where(
                        Event.organization_id == tenant.organization_id,
                        Event.type == "charging_profile.rejected",
                    )
                )
            ).all()
    finally:
        await db.dispose()
    assert count == 4 and len(scripted.sent) == 4
    assert len(events) == 2
    assert {tuple(e.data["units_tried"]) for e in events} == {("W", "A")}
    for event in events:
        fits(event.type, event.data)


async def test_what_is_in_force_survives_a_restart(tenant: Tenant) -> None:
    org = tenant.organization_id
    delivery, scripted, db = await _delivery(tenant, {"W"})
    try:
        site = make_site(22, [True, False])
        first = await delivery.apply(org, plan(site, EMPTY))
        restarted = Delivery(db, scripted, lambda: NOW, 1.0)
        await restarted.load(org)
        remembered = restarted.in_force(org)
        again = await restarted.apply(org, plan(site, remembered))
        restarted.forget_station(org, "S0")  # it booted: it may have lost its profiles
        after_boot = await restarted.apply(org, plan(site, restarted.in_force(org)))
        booted_while_down = Delivery(db, scripted, lambda: NOW, 1.0)
        booted_while_down.forget_station(org, "S0")  # heard before the memory was read
        resent = await booted_while_down.apply(org, plan(site, EMPTY))
    finally:
        await db.dispose()
    assert len(first) == 3 and again == []
    assert remembered == delivery.in_force(org)
    assert round(remembered.limits_kw[("S0", 1, Purpose.TX)], 3) == 22.0
    assert len(after_boot) == 3 and len(resent) == 3


async def test_a_refused_profile_is_not_resent_after_a_restart(tenant: Tenant) -> None:
    org = tenant.organization_id
    delivery, scripted, db = await _delivery(tenant, set())
    try:
        site = make_site(16, [True])
        await delivery.apply(org, plan(site, EMPTY))
        count = len(scripted.sent)
        restarted = Delivery(db, scripted, lambda: NOW, 1.0)
        await restarted.apply(org, plan(site, EMPTY))
    finally:
        await db.dispose()
    assert count == 4 and len(scripted.sent) == 4


async def test_a_fleet_schedule_in_force_is_held_slot_by_slot_once_offline(tenant: Tenant) -> None:
    org = tenant.organization_id
    delivery, scripted, db = await _delivery(tenant, {"W"})
    try:
        site = make_site(22, [True, True], Objective.FLEET)
        sent = plan(site, EMPTY)
        await delivery.apply(org, sent)
        restarted = Delivery(db, scripted, lambda: NOW, 1.0)
        await restarted.load(org)
        held = restarted.in_force(org)
    finally:
        await db.dispose()
    target = next(t for t in sent.targets if t.key == ("S0", 1, Purpose.TX))
    schedule = held.schedules[target.key]
    assert (schedule.start, schedule.slot_s) == (NOW, 900)
    # At least what was sent (fingerprints keep 0.01 kW), never more than a rounding above.
    pairs = list(zip(schedule.limits_kw, target.limits_kw, strict=True))
    assert all(0 <= kept - wanted <= 0.01 for kept, wanted in pairs)
    offline = StationInfo("S0", "root", "ocpp1.6", False, "", "", "", None)
    replanned = plan(replace(site, stations={**site.stations, "S0": offline}), held)
    assert replanned.schedules[SessionId("0")] == schedule.limits_kw


async def test_a_station_refusing_profiles_is_counted_at_its_maximum_and_retried_later(
    tenant: Tenant,
) -> None:
    """S0 refuses everything: reported once as uncontrollable, counted at its maximum (S1's
    session then gets nothing of the 30 kW), sent nothing until its back-off ends."""
    org = tenant.organization_id
    now = [NOW]
    db = Database(tenant.server.settings.database_url)
    scripted = _PerStation({"S1"})
    delivery = Delivery(db, scripted, lambda: now[0], 1.0)
    try:
        site = make_site(30, [True, False, True, False])
        await delivery.apply(org, plan(site, EMPTY))
        in_force = delivery.in_force(org)
        squeezed = plan(site, in_force)
        sent = len(scripted.sent)
        await delivery.apply(org, squeezed)
        quiet = all(station != "S0" for station, _ in scripted.sent[sent:])
        sent = len(scripted.sent)
        now[0] = NOW + timedelta(seconds=61)
        await delivery.apply(org, plan(site, delivery.in_force(org)))
        retried = {station for station, _ in scripted.sent[sent:]}
        async with db.reading() as uow:
            events: Any = (
                await uow.session.scalars(
                    select(Event).where(
                        Event.organization_id == org, Event.type.like("smart_charging.%")
                    )
                )
            ).all()
    finally:
        await db.dispose()
    assert in_force.uncontrolled == frozenset({"S0"})
    s1_tx = next(t for t in squeezed.targets if t.station_id == "S1" and t.purpose is Purpose.TX)
    assert s1_tx.first_kw == 0.0  # 30 kW less S0's session and idle EVSE at 22 kW each
    assert quiet
    assert retried == {"S0"}
    assert [e.type for e in events] == ["smart_charging.uncontrollable"]
    fits(events[0].type, events[0].data)


class _PerStation(Scripted):
    """Accepts profiles only from the stations named."""

    def __init__(self, stations: set[str]) -> None:
        super().__init__(set())
        self.stations = stations

    async def send(self, station_id: str, command: Command, timeout_s: float) -> Outcome:
        assert isinstance(command, SetChargingProfile)
        self.sent.append((station_id, command))
        status = "Accepted" if station_id in self.stations else "Rejected"
        return Outcome(answer=Answer(status, {}))


class _Unanswered(Scripted):
    """Accepts every profile, except that those in `lost` get no answer (a timeout); records
    when each profile went out and when its answer came."""

    def __init__(self) -> None:
        super().__init__({"W"})
        self.lost: set[tuple[str, int, str]] = set()
        self.log: list[tuple[str, tuple[str, int, str]]] = []

    async def send(self, station_id: str, command: Command, timeout_s: float) -> Outcome:
        assert isinstance(command, SetChargingProfile)
        place = (station_id, command.evse_id, command.profile.purpose.value)
        self.log.append(("sent", place))
        await asyncio.sleep(0)  # the others of its batch go out meanwhile
        if place in self.lost:
            return Outcome(error=ChargeyardError(f"no answer within {timeout_s} s"))
        self.log.append(("answered", place))
        return Outcome(answer=Answer("Accepted", {}))


async def test_a_raise_that_timed_out_counts_as_in_force(tenant: Tenant) -> None:
    """A raise whose answer never came may still have been applied (the frame arrived late, or
    the answer was lost). Coming down from it, even to a value above what was last accepted,
    is a decrease: it is answered before another station's raise goes out."""
    scripted = _Unanswered()
    db = Database(tenant.server.settings.database_url)
    delivery = Delivery(db, scripted, lambda: NOW, 1.0)
    organization_id = tenant.organization_id
    first, other = ("S0", 1, "TxProfile"), ("S1", 1, "TxProfile")
    try:
        # Two sessions on S0 at 7.5 kW each (15 kW); S1 idle.
        await delivery.apply(organization_id, plan(make_site(15, [True, True, False]), EMPTY))
        # 9 kW each: the first session's raise is sent and never answered.
        scripted.lost = {first}
        raised = await delivery.apply(
            organization_id,
            plan(make_site(18, [True, True, False]), delivery.in_force(organization_id)),
        )
        scripted.lost, scripted.log = set(), []
        # A session starts on S1: 8 kW each. The first session may be at 9 kW: its 8 kW must be
        # in force before S1's session is raised to 8 (9 + 8 + 8 would pass 24).
        await delivery.apply(
            organization_id,
            plan(make_site(24, [True, True, True]), delivery.in_force(organization_id)),
        )
    finally:
        await db.dispose()
    assert [a.status for a in raised if a.target.key == ("S0", 1, Purpose.TX)] == [
        DeliveryStatus.FAILED
    ]
    assert scripted.log.index(("answered", first)) < scripted.log.index(("sent", other))


class _Stations(_Unanswered):
    """Also keeps, per place, the profile a station holds and the one on its way (which the
    station may already apply): `worst_kw(at)` is the most the places may draw together at
    `at`, checked after every frame."""

    def __init__(self, clock: Callable[[], datetime], instants: list[timedelta]) -> None:
        super().__init__()
        self.clock, self.instants = clock, instants
        self.held: dict[tuple[str, int, str], SetChargingProfile] = {}
        self.pending: dict[tuple[str, int, str], SetChargingProfile] = {}
        self.worst: list[float] = []

    async def send(self, station_id: str, command: Command, timeout_s: float) -> Outcome:
        assert isinstance(command, SetChargingProfile)
        place = (station_id, command.evse_id, command.profile.purpose.value)
        self.pending[place] = command
        self.worst.append(self.worst_kw())
        outcome = await super().send(station_id, command, timeout_s)
        self.held[place] = self.pending.pop(place)
        self.worst.append(self.worst_kw())
        return outcome

    def worst_kw(self) -> float:
        now = self.clock()
        return max(
            sum(
                max(_kw(c, now + offset) for c in (self.held.get(p), self.pending.get(p)) if c)
                for p in self.held.keys() | self.pending.keys()
            )
            for offset in self.instants
        )


def _kw(command: SetChargingProfile, at: datetime) -> float:
    """A profile's limit at `at`, as a station composes it (Absolute: the period under way;
    before its start the first, past its end the last)."""
    schedule = command.profile.schedule
    elapsed = 0.0 if schedule.start is None else (at - schedule.start).total_seconds()
    under_way = [p for p in schedule.periods if p.start_offset_s <= elapsed] or [
        schedule.periods[0]
    ]
    return float(under_way[-1].limit) / 1000.0


def _schedule(site: Site, index: int, limits: tuple[float, ...], start: datetime) -> Target:
    station_id, number = f"S{index // 2}", index % 2 + 1
    return Target(
        "root",
        station_id,
        number,
        Purpose.TX,
        limits,
        AC_22KW,
        transaction_id=index,
        ocpp_transaction_id=str(index),
        start=start,
        slot_s=900,
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # The slot under way gives A 0 and B 11; the new plan shares it (5.5 each): B must come
        # down before A goes up, although A's schedule *began* at 11 (its first value).
        (((11.0, 0.0, 0.0, 0.0), (0.0, 11.0, 11.0, 11.0)), ((5.5, 5.5, 5.5), (5.5, 5.5, 5.5))),
        # Alternating schedules shifted by a slot: each change lowers some slots and raises
        # others, so neither is a decrease nor a raise: each first comes down to the lower of
        # old and new, and only then goes to its new schedule.
        (((11.0, 0.0, 11.0, 0.0), (0.0, 11.0, 0.0, 11.0)), ((11.0, 0.0, 11.0), (0.0, 11.0, 0.0))),
    ],
    ids=["first-value-is-not-now", "mixed-changes"],
)
async def test_fleet_schedules_come_down_before_any_goes_up_at_every_instant(
    tenant: Tenant, before: tuple[tuple[float, ...], ...], after: tuple[tuple[float, ...], ...]
) -> None:
    """Two sessions on an 11 kW circuit under `fleet`, their schedules planned at 08:00; the next
    step runs at 08:16. Whatever order the frames travel in, the most both stations may hold
    together, now and at every slot ahead, never passes 11 kW."""
    now = [NOW]
    scripted = _Stations(lambda: now[0], [timedelta(minutes=15 * k + 1) for k in range(4)])
    db = Database(tenant.server.settings.database_url)
    delivery = Delivery(db, scripted, lambda: now[0], 1.0)
    site = make_site(11, [True, False, True, False], Objective.FLEET)
    try:
        first = [_schedule(site, i, limits, NOW) for i, limits in zip((0, 2), before, strict=True)]
        await delivery.apply(tenant.organization_id, Plan(site, first, {}, {}, 0.0))
        now[0] = NOW + timedelta(minutes=16)
        scripted.worst.clear()
        start = NOW + timedelta(minutes=15)
        second = [
            _schedule(site, i, limits, start) for i, limits in zip((0, 2), after, strict=True)
        ]
        attempts = await delivery.apply(tenant.organization_id, Plan(site, second, {}, {}, 0.0))
    finally:
        await db.dispose()
    assert {a.status for a in attempts} == {DeliveryStatus.DELIVERED}
    assert scripted.worst and max(scripted.worst) <= 11.0 + 1e-6, scripted.worst
    # Each station ends up holding its new schedule.
    assert delivery.holds(tenant.organization_id, second)


async def test_a_first_profile_unanswered_holds_its_share_when_the_station_goes(
    tenant: Tenant,
) -> None:
    """A station accepts its session's first TxProfile and loses its link before the answer
    arrives. It draws under that profile, offline: the next plan pins it there. Read as
    holding nothing, it was pinned at its station-wide default and the other session got the
    rest (26.25 kW on a 21 kW circuit, seen while a test's stations left)."""
    scripted = _Unanswered()
    db = Database(tenant.server.settings.database_url)
    delivery = Delivery(db, scripted, lambda: NOW, 1.0)
    organization_id = tenant.organization_id
    lost = ("S1", 1, "TxProfile")
    site = make_site(22, [True, False, True, False])
    try:
        scripted.lost = {lost}
        sent = await delivery.apply(organization_id, plan(site, EMPTY))
        offline = StationInfo("S1", "root", "ocpp1.6", False, "", "", "", None)
        gone = replace(site, stations={**site.stations, "S1": offline})
        in_force = delivery.in_force(organization_id)
        replanned = plan(gone, in_force)
    finally:
        await db.dispose()
    first = next(a for a in sent if a.target.key == ("S1", 1, Purpose.TX))
    assert first.status is DeliveryStatus.FAILED
    may_hold_kw = first.target.first_kw
    assert may_hold_kw == pytest.approx(11.0)
    assert replanned.power_kw[SessionId("0")] + may_hold_kw <= 22.0 + 1e-6
    # Unconfirmed, it does not count as a profile the session is known to run under.
    assert ("S1", 1, Purpose.TX) in in_force.unconfirmed
