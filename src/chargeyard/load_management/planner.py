"""One control step for one site: optimizer results turned into the limits each station should
have in force (`Target`s). Pure: a `Site` and what is in force in, targets out.

Three kinds of limit together keep the sum within every circuit at every instant, whatever
the links do:

- a TxProfile per session: its allocation (load sharing) or its schedule (fleet);
- a TxDefaultProfile per idle EVSE: what is left once sessions are served, up to its fail-safe
  share; a session starting there runs under it until the next step gives it its own;
- a fail-safe TxDefaultProfile on connector 0 of every station: its share were every EVSE busy.

The first two are planned in the site connection's headroom now (less baseload, plus solar);
fail-safe shares in its firm headroom (less baseload, never plus solar or power fed in), since
they must hold with the server gone (`smart_charging.site_connection`).

A station that is offline keeps what it has: its sessions and idle EVSEs are pinned at the
limits last in force there, and only the others are re-optimized. Under `fleet` a session's
TxProfile is a schedule, so it is held slot by slot (`held_per_slot`) and the LP gives the
others what is left in each slot. In a V2G event's slots a session on a bidirectional EVSE may
be planned negative (discharge, down to the event's import target where its departure allows):
its TxProfile then carries that negative limit, which each version renders its own way.
"""

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np

from chargeyard.charging_profiles.domain import Purpose
from chargeyard.load_management.domain import Target
from chargeyard.load_management.site_reader import Site, firm_snapshot, with_site_modifiers
from chargeyard.smart_charging.allocation import allocate
from chargeyard.smart_charging.defaults import IDLE_STEP_KW, fail_safe_shares, idle_limits
from chargeyard.smart_charging.electrical import FloatArray
from chargeyard.smart_charging.horizon import Horizon, schedule
from chargeyard.smart_charging.rotation import Rotation, Turn
from chargeyard.smart_charging.snapshot import (
    EvseId,
    Objective,
    SessionId,
    SiteSnapshot,
)

Key = tuple[str, int, Purpose]


@dataclass(frozen=True)
class HeldSchedule:
    """A schedule a station holds: `limits_kw[i]` (kW) from `start + i * slot_s` seconds."""

    limits_kw: tuple[float, ...]
    start: datetime
    slot_s: int


@dataclass(frozen=True)
class InForce:
    """What delivery knows is in force at the stations (first value, kW) and since when, and
    the whole schedule where one is (a fleet TxProfile)."""

    limits_kw: dict[Key, float]
    since: dict[Key, datetime]
    schedules: dict[Key, HeldSchedule] = field(default_factory=dict)
    uncontrolled: frozenset[str] = frozenset()
    """Stations that refused smart charging's profiles (in every unit): their sessions and
    idle EVSEs are counted at their maximum."""
    unconfirmed: frozenset[Key] = frozenset()
    """Places counted at a limit sent whose answer never came, with nothing accepted there
    before: the station may hold it, or nothing at all."""


@dataclass(frozen=True)
class Plan:
    site: Site
    targets: list[Target]
    power_kw: dict[SessionId, float]
    schedules: dict[SessionId, tuple[float, ...]]
    seconds: float
    turns: dict[SessionId, Turn] = field(default_factory=dict)
    """Every session's place in the rotation after this step (`smart_charging.rotation`)."""


def plan(site: Site, in_force: InForce, turns: Mapping[SessionId, Turn] | None = None) -> Plan:
    """The targets of one step.

    Under load sharing, sessions that cannot all have their minimum take turns: `turns` is
    where each stood after the last step (absent: new), and the plan says where each stands now.

    Sessions of stations that refuse profiles are counted at their EVSE's maximum. So is a
    session that started with no limit of smart charging's in force at its station (it joined
    before Chargeyard could reach it, or it refused everything at boot): the others are
    planned (squeezed) as if it drew its maximum, while its own TxProfile is its share of a
    plan that counts it normally; the next step, with that profile in force, gives the others
    back what it does not take (raises go out only after every decrease was acknowledged).
    """
    started = time.perf_counter()
    # Sized without solar and with the baseload: a fail-safe default must hold with the
    # server gone (`smart_charging.site_connection`).
    fail_safe = fail_safe_shares(firm_snapshot(site))
    uncontrolled = _uncontrolled(site, in_force)
    unprofiled = _unprofiled(site, in_force) - uncontrolled
    rotation = Rotation(dict(turns or {}))
    targets, power, schedules, after = _plan(
        site, in_force, fail_safe, uncontrolled | unprofiled, rotation
    )
    if unprofiled:
        own_targets, own_power, own_schedules, _ = _plan(
            site, in_force, fail_safe, uncontrolled, rotation
        )
        keys = {_session_key(site, sid) for sid in unprofiled}
        targets = [t for t in targets if t.key not in keys]
        targets += [t for t in own_targets if t.key in keys]
        for sid in unprofiled:
            power[sid] = own_power[sid]
            if sid in own_schedules:
                schedules[sid] = own_schedules[sid]
    # Sessions outside this step's allocation (counted at their maximum, or under `fleet`)
    # keep their place.
    kept = {s.id: rotation.turns[s.id] for s in site.snapshot.sessions if s.id in rotation.turns}
    return Plan(site, targets, power, schedules, time.perf_counter() - started, kept | after)


def _session_key(site: Site, session_id: SessionId) -> Key:
    info = site.sessions[session_id]
    return (info.station_id, info.evse_id, Purpose.TX)


def _uncontrolled(site: Site, in_force: InForce) -> set[SessionId]:
    return {
        s.id
        for s in site.snapshot.sessions
        if site.sessions[s.id].station_id in in_force.uncontrolled
    }


def _unprofiled(site: Site, in_force: InForce) -> set[SessionId]:
    """Sessions on connected stations where no limit of smart charging's is in force."""
    found = set()
    for s in site.snapshot.sessions:
        info = site.sessions[s.id]
        if not site.stations[info.station_id].connected:
            continue
        keys = (
            (info.station_id, info.evse_id, Purpose.TX),
            (info.station_id, info.evse_id, Purpose.TX_DEFAULT),
            (info.station_id, 0, Purpose.TX_DEFAULT),
        )
        # A profile sent unanswered may never have arrived: it does not make a session
        # profiled (counted at its maximum until one is accepted).
        if not any(k in in_force.limits_kw and k not in in_force.unconfirmed for k in keys):
            found.add(s.id)
    return found


def _plan(
    site: Site,
    in_force: InForce,
    fail_safe: dict[EvseId, float],
    at_maximum: set[SessionId],
    rotation: Rotation,
) -> tuple[
    list[Target], dict[SessionId, float], dict[SessionId, tuple[float, ...]], dict[SessionId, Turn]
]:
    """Targets, first-slot power, schedules and turns, with `at_maximum` counted at their
    EVSE's."""
    snapshot = _live(site, in_force, fail_safe, at_maximum)
    # Baseload and solar now: the allocation and the idle EVSEs' residual are planned in it.
    now_view = with_site_modifiers(replace(site, snapshot=snapshot))
    schedules: dict[SessionId, tuple[float, ...]] = {}
    turns: dict[SessionId, Turn] = {}
    if site.objective is Objective.FLEET and snapshot.sessions:
        held = _held_sessions(site, snapshot, in_force, fail_safe)
        result = schedule(snapshot, site.horizon, held)
        ok = result.ok
        for i, s in enumerate(snapshot.sessions):
            # Negative only where the LP may discharge: a V2G slot of a bidirectional EVSE
            # on a station that can be told to (`discharge.may_discharge`).
            values = result.power_kw[i] if ok else np.zeros(site.horizon.slots)
            values = np.where(np.isnan(held[i]), values, held[i])
            schedules[s.id] = tuple(float(v) for v in values)
        power = {sid: values[0] for sid, values in schedules.items()}
    else:
        allocation = allocate(now_view, rotation=rotation)
        power, turns = allocation.power_kw, allocation.turns
    evse_of = {s.id: s.evse_id for s in site.snapshot.sessions}
    for sid in at_maximum:
        top = snapshot.evse(evse_of[sid]).max_power_kw
        power[sid] = top
        if schedules:
            schedules[sid] = (top,) * site.horizon.slots
    # A discharge frees nothing for idle EVSEs: they are sized as if it did not happen.
    peak = {sid: max(0.0, *values) for sid, values in schedules.items()} or power
    idle = idle_limits(now_view, peak, fail_safe)
    targets = _targets(site, power, schedules, idle, fail_safe)
    return targets, power, schedules, turns


def _live(
    site: Site, in_force: InForce, fail_safe: dict[EvseId, float], at_maximum: set[SessionId]
) -> SiteSnapshot:
    """The snapshot with what was offered to each session, meter readings newer than the
    offer, offline stations pinned at what they have in force, and `at_maximum` sessions
    (and the idle EVSEs of stations that refuse profiles) pinned at their EVSE's maximum."""
    snapshot = site.snapshot
    sessions = []
    busy = set()
    pinned_at_maximum = {s.evse_id for s in snapshot.sessions if s.id in at_maximum}
    for s in snapshot.sessions:
        info = site.sessions[s.id]
        busy.add(s.evse_id)
        key: Key = (info.station_id, info.evse_id, Purpose.TX)
        offered = in_force.limits_kw.get(key)
        since = in_force.since.get(key)
        fresh = since is not None and info.last_meter_at is not None and info.last_meter_at > since
        s = replace(
            s, offered_power_kw=offered, measured_power_kw=s.measured_power_kw if fresh else None
        )
        if s.id in at_maximum:
            continue  # its EVSE's maximum is a fixed load (below)
        if not site.stations[info.station_id].connected:
            pinned = _in_force_at(info.station_id, info.evse_id, in_force, fail_safe[s.evse_id])
            # Last told to discharge: it may not, so it holds no room for the others (0).
            pinned = max(pinned, 0.0)
            s = replace(s, priority=0, min_power_kw=pinned, max_power_kw=pinned)
        sessions.append(s)
    evses = []
    for e in snapshot.evses:
        station_id, number = site.places[e.id]
        if e.id in pinned_at_maximum:
            e = replace(e, idle_reserve_kw=e.max_power_kw)
        elif e.id in busy:
            pass
        elif station_id in in_force.uncontrolled:
            e = replace(e, idle_reserve_kw=e.max_power_kw)
        elif not site.stations[station_id].connected:
            reserve = _in_force_at(station_id, number, in_force, fail_safe[e.id], idle=True)
            e = replace(e, idle_reserve_kw=reserve)
        evses.append(e)
    return replace(snapshot, sessions=tuple(sessions), evses=tuple(evses))


def _held_sessions(
    site: Site, snapshot: SiteSnapshot, in_force: InForce, fail_safe: dict[EvseId, float]
) -> FloatArray:
    """What each session (of `snapshot`) of an offline station draws in each slot of the
    horizon, whatever the plan (sessions * slots; NaN for sessions of online stations)."""
    held = np.full((len(snapshot.sessions), site.horizon.slots), np.nan)
    for i, s in enumerate(snapshot.sessions):
        info = site.sessions[s.id]
        if site.stations[info.station_id].connected:
            continue
        kept = in_force.schedules.get((info.station_id, info.evse_id, Purpose.TX))
        if kept is not None:
            held[i] = held_per_slot(kept, site.horizon)
        else:
            held[i] = _in_force_at(info.station_id, info.evse_id, in_force, fail_safe[s.evse_id])
    return held


def held_per_slot(held: HeldSchedule, horizon: Horizon) -> FloatArray:
    """The most `held` lets a station draw in each slot of `horizon`: the highest of its
    periods the slot overlaps (exactly its value when the slots line up).

    Past the schedule's end a station falls back on what OCPP leaves to the profile (its
    duration ends, a lower stack level or a default may apply); we read it conservatively: the
    station keeps drawing at most the last period's limit. Before its start (clocks apart) it
    is taken to draw its first.
    """
    offset_s = int((horizon.start - held.start).total_seconds())
    slot_s = int(horizon.slot.total_seconds())
    last = len(held.limits_kw) - 1
    values = np.empty(horizon.slots)
    for k in range(horizon.slots):
        begin, end = offset_s + k * slot_s, offset_s + (k + 1) * slot_s
        first = min(max(begin // held.slot_s, 0), last)
        final = min(max(-(-end // held.slot_s) - 1, 0), last)
        values[k] = max(held.limits_kw[first : final + 1])
    return values


def _in_force_at(
    station_id: str, evse_id: int, in_force: InForce, fail_safe: float, *, idle: bool = False
) -> float:
    purposes = (Purpose.TX_DEFAULT,) if idle else (Purpose.TX, Purpose.TX_DEFAULT)
    for purpose in purposes:
        value = in_force.limits_kw.get((station_id, evse_id, purpose))
        if value is not None:
            return value
    return in_force.limits_kw.get((station_id, 0, Purpose.TX_DEFAULT), fail_safe)


def _targets(
    site: Site,
    power: dict[SessionId, float],
    schedules: dict[SessionId, tuple[float, ...]],
    idle: dict[EvseId, float],
    fail_safe: dict[EvseId, float],
) -> list[Target]:
    targets: list[Target] = []
    station_share: dict[str, float] = {}
    for evse_id, share in fail_safe.items():
        station_id, _number = site.places[evse_id]
        station_share[station_id] = min(share, station_share.get(station_id, math.inf))
    for station_id, share in sorted(station_share.items()):
        first = next(k for k, (st, _n) in site.places.items() if st == station_id)
        targets.append(
            Target(
                circuit_id=site.root_id,
                station_id=station_id,
                evse_id=0,
                purpose=Purpose.TX_DEFAULT,
                limits_kw=(math.floor(share / IDLE_STEP_KW + 1e-9) * IDLE_STEP_KW,),
                wiring=site.wiring[first],
            )
        )
    for evse_id, limit in sorted(idle.items()):
        station_id, number = site.places[evse_id]
        targets.append(
            Target(
                site.root_id, station_id, number, Purpose.TX_DEFAULT, (limit,), site.wiring[evse_id]
            )
        )
    slot_s = int(site.horizon.slot.total_seconds())
    for s in site.snapshot.sessions:
        info = site.sessions[s.id]
        values = schedules.get(s.id)
        targets.append(
            Target(
                circuit_id=site.root_id,
                station_id=info.station_id,
                evse_id=info.evse_id,
                purpose=Purpose.TX,
                limits_kw=values if values is not None else (power[s.id],),
                wiring=site.wiring[s.evse_id],
                transaction_id=info.transaction_id,
                ocpp_transaction_id=info.ocpp_transaction_id,
                start=site.horizon.start if values is not None else None,
                slot_s=slot_s if values is not None else None,
            )
        )
    return targets
