"""Delivery against a scripted dispatcher: only changes, lowering first, the other unit on
rejection (remembered per vendor/model/firmware), rejections reported."""

import asyncio
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from chargeyard.charging_profiles.domain import Purpose
from chargeyard.commands.dispatcher import Dispatcher, Outcome
from chargeyard.commands.domain import Answer, Command, SetChargingProfile
from chargeyard.errors import ChargeyardError
from chargeyard.events.models import Event
from chargeyard.load_management.delivery import Delivery
from chargeyard.load_management.domain import DeliveryStatus
from chargeyard.load_management.planner import plan
from chargeyard.load_management.repository import SiteRepository
from chargeyard.load_management.site_reader import StationInfo
from chargeyard.smart_charging.snapshot import Objective, SessionId
from chargeyard.storage.database import Database
from tests.conftest import Tenant
from tests.load_management.test_planner import EMPTY, NOW, make_site


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
