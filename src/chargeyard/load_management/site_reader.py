"""From the database to the optimizer's input: one `Site` per managed circuit tree.

A `Site` is the `smart_charging.SiteSnapshot` plus what delivery needs to address each EVSE and
session on the wire (station, protocol, EVSE number, the station's transaction id). Charging
limits in force, an operator's (`operator_limits`) or a station's own (`reported_limits`: what it
reported, and its external constraints read back), are circuits of the snapshot. Session data comes, in order of precedence,
from what an operator set on the session, the vehicle linked to its ID tag, and the EV itself
(2.0.1 NotifyEVChargingNeeds, state of charge in meter values); the live state of charge is the
station's or the vehicle's telematics, whichever reported last; the vehicle's next planned route,
when it has one, sets the departure and the target over the vehicle's usual ones. A session
with no departure from any of these gets one learnt from its driver's past stays at the site
(`learnt_departures`, `smart_charging.departures`): the point estimate as its `departure`, and
the spread of likely departures the fleet plan weighs its slots by (`Session.departures`).
Explicit departures always win, and come with no spread.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from chargeyard.charging_needs.models import ChargingNeedRow
from chargeyard.charging_needs.repository import ChargingNeedRepository
from chargeyard.circuits.models import CircuitRow
from chargeyard.circuits.repository import CircuitRepository
from chargeyard.demand_response.domain import DemandResponseKind
from chargeyard.errors import NotFound
from chargeyard.evse_wiring.models import EvseWiringRow
from chargeyard.external_meters.models import ExternalMeterReadingRow
from chargeyard.external_meters.repository import ExternalMeterRepository
from chargeyard.load_management.discharge import may_discharge
from chargeyard.load_management.domain import (
    AC_22KW,
    Wiring,
    ac_minimum_kw,
    energy_need_kwh,
    next_departure,
)
from chargeyard.load_management.learnt_departures import Learnt, LearntDepartures
from chargeyard.load_management.operator_limits import CommandFact, in_force, with_operator_limits
from chargeyard.load_management.reported_limits import ReportedLimit
from chargeyard.load_management.reported_limits import in_force as reported_in_force
from chargeyard.load_management.repository import SiteRepository
from chargeyard.measurements.domain import MeasurementKind
from chargeyard.measurements.models import MeasurementRow
from chargeyard.planned_routes.domain import route_target_soc
from chargeyard.planned_routes.models import PlannedRouteRow
from chargeyard.planned_routes.repository import PlannedRouteRepository
from chargeyard.session_needs.models import SessionNeedRow
from chargeyard.smart_charging.electrical import ElectricalSpec, Line, Supply
from chargeyard.smart_charging.horizon import Horizon, PriceCap, V2gWindow
from chargeyard.smart_charging.site_connection import firm, live, reading_now
from chargeyard.smart_charging.snapshot import (
    CapacityWindow,
    Circuit,
    CircuitId,
    Evse,
    EvseId,
    Objective,
    Session,
    SessionId,
    SiteSnapshot,
)
from chargeyard.stations.models import Station
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.telematics.models import TelematicsReadingRow
from chargeyard.telematics.repository import TelematicsRepository
from chargeyard.transactions.models import Transaction
from chargeyard.vehicles.models import VehicleRow

SLOT = timedelta(minutes=15)
HORIZON_SLOTS = 96


@dataclass(frozen=True)
class StationInfo:
    id: str
    circuit_id: str
    protocol: str | None
    connected: bool
    vendor: str
    model: str
    firmware: str
    rate_unit: str | None


@dataclass(frozen=True)
class SessionInfo:
    transaction_id: int
    ocpp_transaction_id: str | None
    station_id: str
    evse_id: int
    last_meter_at: datetime | None


@dataclass(frozen=True)
class Site:
    root_id: str
    objective: Objective
    snapshot: SiteSnapshot
    stations: dict[str, StationInfo]
    wiring: dict[EvseId, Wiring]
    places: dict[EvseId, tuple[str, int]]
    sessions: dict[SessionId, SessionInfo]
    horizon: Horizon
    firm_baseload_kw: float
    """The site connection's load now that holds without Chargeyard: the baseload posted and
    what the meters on the site connection draw, nothing fed in (a meter feeding in may stop,
    as solar may). Fail-safe shares are sized with it (`smart_charging.site_connection.firm`);
    the horizon's `baseload_kw` is the net the live plan counts."""


def evse_key(station_id: str, evse_id: int) -> EvseId:
    return EvseId(f"{station_id}#{evse_id}")


def wiring_row(
    rows: Mapping[tuple[str, int], EvseWiringRow], station_id: str, evse_id: int
) -> EvseWiringRow | None:
    """The wiring an EVSE is planned with: its own, else its station's default (EVSE 0); None
    (then `wiring_of` assumes `AC_22KW`) when neither is set."""
    return rows.get((station_id, evse_id)) or rows.get((station_id, 0))


def wiring_of(row: EvseWiringRow | None) -> Wiring:
    if row is None:
        return AC_22KW
    lines = tuple(Line(x) for x in row.lines.split(",") if x)
    spec = ElectricalSpec(Supply(row.supply), row.voltage_v, row.power_factor, lines)
    minimum = ac_minimum_kw(spec) if row.min_power_kw is None else row.min_power_kw
    return Wiring(spec, row.max_power_kw, minimum, row.power_step_kw, row.bidirectional)


def circuit_value(
    row: CircuitRow, windows: tuple[CapacityWindow, ...], metered_kw: float = 0.0
) -> Circuit:
    return Circuit(
        id=CircuitId(row.id),
        parent_id=None if row.parent_id is None else CircuitId(row.parent_id),
        max_power_kw=row.max_power_kw,
        max_current_a=row.max_current_a,
        phases=row.phases,
        buffer_kw=row.buffer_kw,
        buffer_a=row.buffer_a,
        windows=windows,
        objective=Objective(row.objective),
        rotation_slice_s=row.rotation_slice_s,
        metered_kw=metered_kw,
    )


def subtree(rows: Sequence[CircuitRow], root_id: str) -> list[CircuitRow]:
    children: dict[str | None, list[CircuitRow]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    found, todo, seen = [], [root_id], set()
    by_id = {row.id: row for row in rows}
    while todo:
        current = todo.pop()
        if current in seen or current not in by_id:
            continue
        seen.add(current)
        found.append(by_id[current])
        todo.extend(child.id for child in children.get(current, []))
    return found


def objective_now(
    objective: Objective, v2g: Sequence[V2gWindow], evses: Sequence[Evse], now: datetime
) -> Objective:
    """The objective a step plans the site with: the circuit's, except that a `load_sharing`
    site is planned as `fleet` while a V2G event is under way and it has an EVSE that may
    discharge. Load sharing shares power now and never discharges; the fleet plan meets the
    event's net-import target by discharging the sessions that can recharge before they leave
    (sessions with no known need or departure are planned to their maximum and never
    discharge). The plan's `objective` says which one is in force."""
    if objective is not Objective.LOAD_SHARING:
        return objective
    under_way = any(window.start <= now < window.end for window in v2g)
    if under_way and any(e.bidirectional for e in evses):
        return Objective.FLEET
    return objective


class SiteReader:
    """Reads every managed site of one organization in one unit of work."""

    def __init__(
        self,
        uow: UnitOfWork,
        organization_id: str,
        departures: LearntDepartures | None = None,
    ) -> None:
        self.session = uow.session
        self.organization_id = organization_id
        self.circuits = CircuitRepository(uow.session, organization_id)
        self.site = SiteRepository(uow.session, organization_id)
        self.departures = departures or LearntDepartures()
        """The control loop's (kept across steps); a reader of its own reads every time."""

    async def roots(self) -> list[str]:
        rows = await self.circuits.all()
        return [r.id for r in rows if r.parent_id is None and r.objective != Objective.OFF]

    async def read(self, root_id: str, now: datetime) -> Site:
        rows = subtree(await self.circuits.all(), root_id)
        ids = [row.id for row in rows]
        horizon_start = now - (now - datetime.min.replace(tzinfo=now.tzinfo)) % SLOT
        horizon_end = horizon_start + SLOT * HORIZON_SLOTS
        windows, v2g = await self._windows(ids, now, horizon_end)
        root_row = next((row for row in rows if row.id == root_id), None)
        if root_row is None:  # deleted since the caller found it
            raise NotFound(f"Circuit {root_id!r} does not exist")
        horizon, metered, firm_baseload = await self._horizon(
            root_row, ids, horizon_start, horizon_end, v2g, now
        )
        circuits = [
            circuit_value(row, windows.get(row.id, ()), metered.get(row.id, 0.0)) for row in rows
        ]
        stations = await self.circuits.stations_under(ids)
        station_ids = [s.id for s in stations]
        transactions = await self.site.active_transactions(station_ids)
        wiring_rows = {(w.station_id, w.evse_id): w for w in await self.site.wiring(station_ids)}
        places = {(e.station_id, e.evse_id) for e in await self.site.evses(station_ids)}
        places |= {(tx.station_id, tx.evse_id) for tx in transactions}
        places |= {key for key in wiring_rows if key[1] > 0}
        # A station that has not reported its EVSEs yet (it is waiting at boot, when it may
        # send nothing but BootNotification) is planned with one, so it gets its defaults.
        known = {station_id for station_id, _number in places}
        places |= {(s.id, 1) for s in stations if s.id not in known}
        by_station = {s.id: s for s in stations}
        v2x = await self.site.reported_v2x(station_ids)
        evses, wiring, place_of = [], {}, {}
        for station_id, number in sorted(places):
            row = wiring_row(wiring_rows, station_id, number)
            key = evse_key(station_id, number)
            wiring[key] = wiring_of(row)
            place_of[key] = (station_id, number)
            evses.append(
                Evse(
                    id=key,
                    circuit_id=CircuitId(by_station[station_id].circuit_id or root_id),
                    electrical=wiring[key].spec,
                    max_power_kw=wiring[key].max_power_kw,
                    min_power_kw=wiring[key].min_power_kw,
                    power_step_kw=wiring[key].power_step_kw,
                    bidirectional=wiring[key].bidirectional
                    and may_discharge(by_station[station_id].protocol, station_id in v2x),
                )
            )
        zone = _zone(await self.site.time_zone(root_row.location_id))
        learnt = await self.departures.of(self.site, station_ids, transactions, zone, now)
        sessions, infos = await self._sessions(transactions, wiring_rows, learnt, now)
        snapshot = SiteSnapshot(now, tuple(circuits), tuple(evses), tuple(sessions))
        facts = [
            CommandFact(r.station_id, r.command, r.request, r.status, r.requested_at)
            for r in await self.site.profile_commands(station_ids)
        ]
        reported = [
            ReportedLimit(
                r.station_id, r.evse_id, tuple(r.schedules or ()), r.reported_at, r.profile
            )
            for r in await self.site.reported_limits(station_ids)
        ]
        started = {(tx.station_id, tx.evse_id): tx.started_at for tx in transactions}
        limits = in_force(facts, now) + reported_in_force(reported, now, started)
        running = {tx.id: (tx.station_id, tx.evse_id) for tx in transactions}
        snapshot = with_operator_limits(snapshot, limits, place_of, running)
        return Site(
            root_id=root_id,
            objective=objective_now(Objective(root_row.objective), v2g, evses, now),
            snapshot=snapshot,
            stations={s.id: _station_info(s, wiring_rows.get((s.id, 0))) for s in stations},
            wiring=wiring,
            places=place_of,
            sessions=infos,
            horizon=horizon,
            firm_baseload_kw=firm_baseload,
        )

    async def _windows(
        self, ids: list[str], now: datetime, end: datetime
    ) -> tuple[dict[str, tuple[CapacityWindow, ...]], tuple[V2gWindow, ...]]:
        found: dict[str, list[CapacityWindow]] = {}
        for w in await self.site.windows(ids):
            if w.ends_at > now:
                window = CapacityWindow(w.starts_at, w.ends_at, w.max_power_kw, w.max_current_a)
                found.setdefault(w.circuit_id, []).append(window)
        v2g = []
        for event in await self.site.demand_response(ids, end, now):
            if event.kind == DemandResponseKind.V2G:
                v2g.append(V2gWindow(event.starts_at, event.ends_at, event.max_power_kw))
            else:
                window = CapacityWindow(event.starts_at, event.ends_at, event.max_power_kw or 0.0)
                found.setdefault(event.circuit_id, []).append(window)
        return {k: tuple(v) for k, v in found.items()}, tuple(v2g)

    async def _horizon(
        self,
        root: CircuitRow,
        ids: list[str],
        start: datetime,
        end: datetime,
        v2g: tuple[V2gWindow, ...],
        now: datetime,
    ) -> tuple[Horizon, dict[str, float], float]:
        """The horizon, the metered load on each sub-circuit now (`_metered_load`), and the
        site connection's firm baseload now (`Site.firm_baseload_kw`)."""
        instants = [start + SLOT * i for i in range(HORIZON_SLOTS)]
        prices = await self.site.prices(root.id, start, end)
        price = np.zeros(0)
        if prices:
            price = np.array(
                [
                    next(
                        (
                            float(p.price_per_kwh)
                            for p in sorted(prices, key=lambda p: p.circuit_id is None)
                            if p.starts_at <= at < p.ends_at
                        ),
                        0.0,
                    )
                    for at in instants
                ]
            )
        caps: tuple[PriceCap, ...] = ()
        if root.price_cap_above is not None and root.price_cap_share is not None:
            caps = (PriceCap(float(root.price_cap_above), root.price_cap_share),)
        measured = await self.site.measurements(root.id, start, end)
        baseload = _step_series(measured, MeasurementKind.BASELOAD, instants, now)
        metered, on_circuits, drawn = await self._metered_load(root, ids, start, end, instants, now)
        firm = drawn + (max(0.0, float(baseload[0])) if len(baseload) else 0.0)
        if len(metered):
            baseload = metered + (baseload if len(baseload) else 0.0)
        horizon = Horizon(
            start=start,
            slot=SLOT,
            slots=HORIZON_SLOTS,
            price=price,
            price_caps=caps,
            solar_kw=_step_series(measured, MeasurementKind.SOLAR, instants, now),
            baseload_kw=baseload,
            v2g_windows=v2g,
        )
        return horizon, on_circuits, firm

    async def _metered_load(
        self,
        root: CircuitRow,
        ids: list[str],
        start: datetime,
        end: datetime,
        instants: list[datetime],
        now: datetime,
    ) -> tuple[np.ndarray, dict[str, float], float]:
        """The external meters' load: what the site connection counts as baseload, per slot
        (empty: no meter has a reading), the load on each sub-circuit now, and what the
        meters on the site connection draw now (their readings from 0 up: the firm part).

        Each meter is read as baseload is (`_steps`). A meter on the site connection's
        circuit or on its location is baseload, signed. A meter on a sub-circuit is a load on
        that circuit and every one above it (`Circuit.metered_kw`, the site connection
        included), at its reading now, over the whole horizon; what it feeds in (a negative
        reading) frees nothing on the sub-circuit but still counts at the site connection, as
        baseload, so the site connection sees the meters' net sum as before."""
        meters = ExternalMeterRepository(self.session, self.organization_id)
        placed = {m.id: m for m in await meters.of_site(ids, root.location_id)}
        readings = await meters.window(list(placed), start, end)
        by_meter: dict[str, list[ExternalMeterReadingRow]] = {}
        for reading in readings:
            by_meter.setdefault(reading.meter_id, []).append(reading)
        series: list[np.ndarray] = []
        on_circuits: dict[str, float] = {}
        drawn = 0.0
        for meter_id, rows in by_meter.items():
            steps = _steps(rows, instants, now)
            circuit_id = placed[meter_id].circuit_id
            if circuit_id is None or circuit_id == root.id:
                series.append(steps)
                drawn += max(0.0, float(steps[0]))
                continue
            on_circuits[circuit_id] = on_circuits.get(circuit_id, 0.0) + max(0.0, steps[0])
            series.append(np.minimum(steps, 0.0))
        return (np.sum(series, axis=0) if series else np.zeros(0)), on_circuits, drawn

    async def _sessions(
        self,
        transactions: Sequence[Transaction],
        wiring_rows: dict[tuple[str, int], EvseWiringRow],
        learnt: Mapping[int, Learnt],
        now: datetime,
    ) -> tuple[list[Session], dict[SessionId, SessionInfo]]:
        needs = await self.site.needs([tx.id for tx in transactions])
        vehicle_ids = [n.vehicle_id for n in needs.values() if n.vehicle_id]
        linked = await self.site.vehicles(vehicle_ids)
        by_tag = await self.site.vehicles_by_tag([tx.id_tag for tx in transactions if tx.id_tag])
        ev_needs = await self._ev_needs(transactions)
        vehicles: dict[int, VehicleRow] = {}
        for tx in transactions:
            need = needs.get(tx.id)
            vehicle = linked.get(need.vehicle_id) if need and need.vehicle_id else None
            vehicle = vehicle or by_tag.get((tx.id_tag or "").upper())
            if vehicle is not None:
                vehicles[tx.id] = vehicle
        charging = {vehicle.id for vehicle in vehicles.values()}
        socs = await TelematicsRepository(self.session, self.organization_id).latest_soc(charging)
        routes = await PlannedRouteRepository(self.session, self.organization_id).next_after(
            charging, now
        )
        sessions, infos = [], {}
        for tx in sorted(transactions, key=lambda t: t.id):
            need = needs.get(tx.id)
            vehicle = vehicles.get(tx.id)
            wiring = wiring_row(wiring_rows, tx.station_id, tx.evse_id)
            sid = SessionId(str(tx.id))
            reported, route = None, None
            if vehicle is not None:
                reported = socs.get(vehicle.id)
                if reported is not None and reported.measured_at < tx.started_at:
                    reported = None  # read before this session: another charge's
                route = routes.get(vehicle.id)
            ev = ev_needs.get(tx.id)
            live = _live_soc(tx, ev, reported)
            session = _session(sid, tx, need, vehicle, route, ev, live, wiring, now)
            if session.departure is None and tx.id in learnt:
                found = learnt[tx.id]
                session = replace(
                    session,
                    departure=max(found.departure, now + SLOT),
                    departures=tuple(max(at, now + SLOT) for at in found.spread),
                )
            sessions.append(session)
            infos[sid] = SessionInfo(
                tx.id, tx.ocpp_transaction_id, tx.station_id, tx.evse_id, tx.last_meter_at
            )
        return sessions, infos

    async def _ev_needs(self, transactions: Sequence[Transaction]) -> dict[int, ChargingNeedRow]:
        """The latest NotifyEVChargingNeeds of each session's EVSE since the session started."""
        found: dict[int, ChargingNeedRow] = {}
        reported = ChargingNeedRepository(self.session, self.organization_id)
        for tx in transactions:
            row = await reported.latest_since(tx.station_id, tx.evse_id, tx.started_at)
            if row is not None:
                found[tx.id] = row
        return found


def _session(
    sid: SessionId,
    tx: Transaction,
    need: SessionNeedRow | None,
    vehicle: VehicleRow | None,
    route: PlannedRouteRow | None,
    ev: ChargingNeedRow | None,
    live_soc: float | None,
    wiring: EvseWiringRow | None,
    now: datetime,
) -> Session:
    delivered = max(0.0, ((tx.last_meter_wh or tx.meter_start_wh) - tx.meter_start_wh) / 1000.0)
    battery = _first(
        (need.battery_kwh if need else None), (vehicle.battery_kwh if vehicle else None)
    )
    route_target = None
    if route is not None:
        route_target = route_target_soc(
            energy_kwh=route.energy_kwh,
            target_soc_percent=route.target_soc_percent,
            battery_kwh=battery,
        )
    energy = _first(
        (need.energy_kwh if need else None),
        # A route's energy with no battery size to turn it into a state of charge.
        route.energy_kwh if route is not None and route_target is None else None,
        None if ev is None or ev.energy_amount_wh is None else ev.energy_amount_wh / 1000.0,
    )
    soc = _first((need.soc_percent if need else None), (vehicle.soc_percent if vehicle else None))
    departure = need.departure_at if need else None
    if departure is None and route is not None:
        departure = route.departs_at
    if departure is None and vehicle is not None and vehicle.departure_time:
        departure = next_departure(vehicle.departure_time, tx.started_at)
    if departure is None and ev is not None:
        departure = ev.departure_time
    max_kw = _first(
        (need.max_power_kw if need else None),
        (vehicle.max_power_kw if vehicle else None),
        None if ev is None or ev.ev_max_power_w is None else ev.ev_max_power_w / 1000.0,
    )
    priority = _first(
        (need.priority if need else None),
        (vehicle.priority if vehicle else None),
        (wiring.priority if wiring else None),
    )
    measured = None
    if tx.last_power_w is not None and tx.last_meter_at is not None:
        measured = tx.last_power_w / 1000.0
    return Session(
        id=sid,
        evse_id=evse_key(tx.station_id, tx.evse_id),
        arrival=tx.started_at,
        priority=3 if priority is None else int(priority),
        departure=departure if departure is None or departure > now else now + SLOT,
        energy_needed_kwh=energy_need_kwh(
            energy_kwh=energy,
            battery_kwh=battery,
            soc_percent=soc,
            target_soc_percent=_first(
                (need.target_soc_percent if need else None),
                route_target,
                (vehicle.target_soc_percent if vehicle else None),
            ),
            live_soc_percent=live_soc,
            delivered_kwh=delivered,
        ),
        max_power_kw=max_kw,
        measured_power_kw=measured,
    )


def _live_soc(
    tx: Transaction, ev: ChargingNeedRow | None, telematics: TelematicsReadingRow | None
) -> float | None:
    """The state of charge now: the station's (meter values, else the EV's charging needs), or
    the vehicle's telematics when it reported since the session started and later than the
    station's last meter value (a vehicle seen by its own telematics while the station reports
    no SoC, as AC stations mostly do)."""
    station = tx.last_soc if tx.last_soc is not None else (ev.state_of_charge if ev else None)
    if telematics is None or telematics.soc_percent is None:
        return station
    if station is None or tx.last_meter_at is None or telematics.measured_at > tx.last_meter_at:
        return telematics.soc_percent
    return station


def _zone(name: str) -> ZoneInfo:
    """A location's time zone (UTC when the stored name is not one this system knows)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


T = TypeVar("T")


def _first(*values: T | None) -> T | None:
    return next((v for v in values if v is not None), None)


def _station_info(station: Station, wiring: EvseWiringRow | None) -> StationInfo:
    return StationInfo(
        id=station.id,
        circuit_id=station.circuit_id or "",
        protocol=station.protocol,
        connected=station.connected,
        vendor=station.vendor or "",
        model=station.model or "",
        firmware=station.firmware_version or "",
        rate_unit=None if wiring is None else wiring.rate_unit,
    )


def _step_series(
    rows: Sequence[MeasurementRow],
    kind: MeasurementKind,
    instants: list[datetime],
    now: datetime,
) -> np.ndarray:
    """Per slot, the last value of `kind` at or before the slot's start, or before `now` for
    the slot under way (empty: none). A reading posted mid-slot counts from the next control
    step: 8 kW of solar posted at 16:07 waited for 16:15 before."""
    return _steps([r for r in rows if r.kind == kind], instants, now)


class _Reading(Protocol):
    @property
    def measured_at(self) -> datetime: ...
    @property
    def power_kw(self) -> float: ...


def _steps(chosen: Sequence[_Reading], instants: list[datetime], now: datetime) -> np.ndarray:
    """`_step_series` of readings of one kind, oldest first."""
    if not chosen:
        return np.zeros(0)
    values = []
    for instant in instants:
        at = max(instant, now)
        before = [r for r in chosen if r.measured_at <= at]
        values.append(before[-1].power_kw if before else chosen[0].power_kw)
    return np.array(values, dtype=np.float64)


def with_site_modifiers(site: Site) -> SiteSnapshot:
    """Real time: the site connection's headroom plus solar, less baseload, at `now`
    (`smart_charging.site_connection.live`)."""
    horizon, snapshot = site.horizon, site.snapshot
    solar = reading_now(horizon.solar_kw, horizon, snapshot.now)
    baseload = reading_now(horizon.baseload_kw, horizon, snapshot.now)
    return live(snapshot, CircuitId(site.root_id), solar, baseload)


def firm_snapshot(site: Site) -> SiteSnapshot:
    """The fail-safe view: the site connection's headroom less its firm baseload, no solar
    (`smart_charging.site_connection.firm`)."""
    return firm(site.snapshot, CircuitId(site.root_id), site.firm_baseload_kw)
