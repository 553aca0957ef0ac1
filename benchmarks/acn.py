"""Replay the Caltech ACN sessions (March 2019), or a synthetic depot or workplace, through
Chargeyard's online optimizer and through acnportal's algorithms, side by side, in acnportal's
own simulator.

Every algorithm runs on the same simulated network (acnportal's 54-EVSE Caltech ACN, basic
EVSEs, 208 V, transformer capacity = the site limit, 5-minute periods; or the synthetic site's
network, `synthetic_sites.py`); each day's arrivals are replayed as one simulation, as in the
ACN-Sim paper.  Rows:

- Uncontrolled, Round robin, EDF, LLF: acnportal 0.3.3's own implementations, unchanged;
- Chargeyard MPC: `chargeyard.smart_charging.online` (the LP re-solved every period), with the
  arrivals expected from the five previous days of the same kind (weekday or weekend) of the
  data set, never from the day being replayed (`--forecast none` plans without them;
  `--forecast oracle` gives it the day's own future arrivals, a diagnostic that peeks;
  `--departures actual` gives it each session's real departure instead of the driver's
  estimate, another; `--departures learnt` gives it none of the drivers' estimates and learns
  each departure from the driver's own past stays, as the server does when a session comes
  with no departure: `smart_charging.departures`; `--departures spread` learns them as the
  spread of the driver's past departures instead of one, plans each session to the latest and
  counts a kWh planned in a period at the chance the driver is still there then);
- Offline optimum: one LP per day with perfect foresight of every session (the upper bound).

Energy cost uses SCE TOU-EV-4 (March 2019), the tariff shipped with acnportal.

    .venv/bin/python benchmarks/acn.py                # the whole data set (March 2019), all limits
    .venv/bin/python benchmarks/acn.py --days 7 --start 2019-03-18      # one week
    .venv/bin/python benchmarks/acn.py --days 1 --start 2019-03-20 --limits 25
    .venv/bin/python benchmarks/acn.py --algorithms "Chargeyard MPC" --forecast none
    .venv/bin/python benchmarks/acn.py --site depot --seed 7 --days 7 --start 2019-03-18
    .venv/bin/python benchmarks/acn.py --site workplace --seed 7 --days 7 --start 2019-03-18
"""

import argparse
import csv
import functools
import gzip
import json
import multiprocessing
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from acnportal import acnsim, algorithms
from acnportal.acnsim.interface import InfrastructureInfo
from acnportal.algorithms import BaseAlgorithm
from acnportal.signals.tariffs import TimeOfUseTariff
from synthetic_sites import SITES, SyntheticSite

from chargeyard.smart_charging.departures import (
    BLUR,
    DeparturePolicy,
    Stay,
    learnt_departure,
    learnt_departures,
    presence,
)
from chargeyard.smart_charging.electrical import LineConstraint
from chargeyard.smart_charging.forecast import ArrivalForecast, PastSession
from chargeyard.smart_charging.online import OnlinePolicy, OnlineState, plan
from chargeyard.smart_charging.schedule import FleetProblem, TimedConstraint, solve

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "caltech-acn"
PERIOD_MIN = 5
PERIODS_PER_DAY = 24 * 60 // PERIOD_MIN
VOLTAGE = 208.0
TZ = ZoneInfo("America/Los_Angeles")
MONTH_START = date(2019, 3, 1)
PERIOD = timedelta(minutes=PERIOD_MIN)
EPOCH = datetime(2019, 3, 1, tzinfo=UTC)
"""Period 0 as a time. Periods count the site's wall clock, so times are built in UTC and days
begin at UTC midnight: the same wall clock without daylight-saving jumps."""
ALGORITHMS = ("Uncontrolled", "Round robin", "EDF", "LLF", "Chargeyard MPC", "Offline optimum")
CALTECH_LIMITS = (20.0, 25.0, 30.0, 40.0, 50.0)
REPLAN_PERIODS = 1
OFFLINE_POLYGON_FACES = 48
"""The bound is computed with a finer polygon than online control uses (tighter, slower)."""


def load_evs() -> list[Any]:
    with gzip.open(DATA / "caltech_2019-03_sessions.json.gz", "rt") as handle:
        queue = acnsim.EventQueue.from_json(json.load(handle))
    return [event.ev for _, event in queue.queue if event.event_type == "Plugin"]


def ev_max_power() -> dict[str, float]:
    with (DATA / "sessions-2019-03.csv").open() as handle:
        return {row["session_id"]: float(row["max_power_kw"]) for row in csv.DictReader(handle)}


@dataclass(frozen=True)
class Site:
    """What a replay needs of a site: its sessions over March 2019 and its network."""

    title: str
    evs: list[Any]
    max_power: dict[str, float]
    network: Callable[[float], Any]
    """The acnsim network at a site limit (kW)."""
    limits: tuple[float, ...]
    drivers: dict[str, str] = field(default_factory=dict)
    """Per session: its driver (the synthetic sites'; Caltech's file names none)."""


def _caltech_network(limit_kw: float) -> Any:
    return acnsim.sites.caltech_acn(basic_evse=True, voltage=VOLTAGE, transformer_cap=limit_kw)


@functools.cache
def site_named(name: str, seed: int) -> Site:
    """Caltech's real sessions, or a synthetic site generated from `seed` (cached per process)."""
    if name == "caltech":
        return Site(
            "Caltech ACN, 54 EVSEs", load_evs(), ev_max_power(), _caltech_network, CALTECH_LIMITS
        )
    made: SyntheticSite = SITES[name](seed)
    return Site(
        f"Synthetic {name} (seed {seed}), {len(made.evses)} EVSEs",
        made.evs,
        made.max_power_kw,
        functools.partial(made.network, voltage=VOLTAGE),
        tuple(float(x) for x in made.limits_kw),
        made.drivers,
    )


def day_evs(evs: list[Any], day: int) -> list[Any]:
    """Copies of the EVs arriving on `day` (0 = 2019-03-01), with times from that midnight."""
    chosen = []
    for ev in evs:
        if day * PERIODS_PER_DAY <= ev.arrival < (day + 1) * PERIODS_PER_DAY:
            shift = day * PERIODS_PER_DAY
            chosen.append(
                acnsim.EV(
                    ev.arrival - shift,
                    ev.departure - shift,
                    ev.requested_energy,
                    ev.station_id,
                    ev.session_id,
                    acnsim.Battery(ev.requested_energy, 0, ev._battery._max_power),
                    ev.estimated_departure - shift,
                )
            )
    return chosen


def kw_constraints(info: Any, stations: list[int]) -> tuple[LineConstraint, ...]:
    """acnportal's constraints (A, phasor sums) as Chargeyard line constraints over kW."""
    phases = np.exp(1j * np.deg2rad(np.asarray(info.phases)[stations]))
    per_kw = 1000.0 / np.asarray(info.voltages)[stations]
    return tuple(
        LineConstraint(str(name), row[stations] * phases * per_kw, float(limit))
        for name, row, limit in zip(
            info.constraint_ids, info.constraint_matrix, info.constraint_limits, strict=True
        )
    )


class ChargeyardMpc(BaseAlgorithm):  # type: ignore[misc]
    """Adapter: acnportal sessions in, the MPC plan's first period out (A per EVSE).

    The simulator calls it every REPLAN_PERIODS periods and on every arrival and departure.
    With a forecast, the sessions the last comparable days had arriving later join the plan as
    expected sessions (`smart_charging.forecast`), worth `expected_weight` per kWh; re-planning
    every period keeps the capacity they reserve from going unused when they do not come.
    """

    def __init__(
        self,
        max_power: dict[str, float],
        prices: Callable[[int, int], np.ndarray],
        forecast: ArrivalForecast | None = None,
        expected_weight: float = 0.6,
        completion_tilt: float = OnlinePolicy.completion_tilt,
        actual_departures: dict[str, int] | None = None,
        learnt: "LearntDepartures | None" = None,
        no_departures: bool = False,
        spread: bool = False,
    ):
        super().__init__()
        self.max_recompute = REPLAN_PERIODS
        self.max_power = max_power
        self.prices = prices
        self.forecast = forecast
        self.expected_weight = expected_weight
        self.policy = OnlinePolicy(completion_tilt=completion_tilt)
        self.actual_departures = actual_departures
        """With `--departures actual`, each session's real departure (a diagnostic that peeks)."""
        self.learnt = learnt
        """With `--departures learnt`, departures learnt from the drivers' past stays."""
        self.no_departures = no_departures
        """With `--departures none`, no departure: every session planned to the horizon's end."""
        self.spread = spread
        """With `--departures spread`, each learnt departure is the driver's spread: planned to
        the latest, each period's kWh counted at the chance the driver is still there."""
        self.step_seconds: list[float] = []
        self.step_cpu_seconds: list[float] = []

    def schedule(self, active_sessions: list[Any]) -> dict[str, list[float]]:
        started, cpu = time.perf_counter(), time.process_time()
        info = self.interface.infrastructure_info()
        sessions = [s for s in active_sessions if s.remaining_demand > 1e-6]
        if not sessions:
            return {}
        stations = [info.get_station_index(s.station_id) for s in sessions]
        volts = np.asarray(info.voltages)[stations]
        max_kw = np.array(
            [
                min(self.max_power.get(s.session_id, np.inf), s.max_rates[0] * v / 1000)
                for s, v in zip(sessions, volts, strict=True)
            ]
        )
        now = self.interface.current_time
        remaining = np.array([s.remaining_demand for s in sessions])
        known = self.actual_departures or {}
        chances: list[np.ndarray] = []
        if self.learnt is not None and self.spread:
            for s in sessions:
                latest, chance = self.learnt.spread(s.session_id, now)
                known[s.session_id] = latest
                chances.append(chance)
        elif self.learnt is not None:
            known = {s.session_id: self.learnt.departure(s.session_id, now) for s in sessions}
        if self.no_departures:  # as the server plans a session with no departure
            known = {s.session_id: now + self.policy.max_horizon_periods for s in sessions}
        left = np.array(
            [max(1, known.get(s.session_id, s.estimated_departure) - now) for s in sessions]
        )
        arrives = np.zeros(len(sessions), dtype=np.int64)
        weight = np.ones(len(sessions))
        every = list(stations)
        if self.forecast is not None:
            coming = self.forecast.expected(now, self.policy.max_horizon_periods)
            every += [info.get_station_index(e) for e in coming.evse]
            remaining = np.concatenate([remaining, coming.energy_kwh])
            left = np.concatenate([left, coming.periods_left])
            max_kw = np.concatenate([max_kw, coming.max_power_kw])
            arrives = np.concatenate([arrives, coming.arrives_in])
            weight = np.concatenate([weight, np.full(len(coming), self.expected_weight)])
        state = OnlineState(
            period_hours=PERIOD_MIN / 60,
            remaining_kwh=remaining,
            periods_left=left,
            max_power_kw=max_kw,
            constraints=kw_constraints(info, every),
            price=self.prices(now, self.policy.max_horizon_periods),
            arrives_in=arrives,
            weight=weight,
            presence=(
                np.vstack([*chances, np.ones((len(left) - len(sessions), len(chances[0])))])
                if chances
                else None
            ),
        )
        result = _plan_periods(state, self.policy, len(sessions))
        self.step_seconds.append(time.perf_counter() - started)
        self.step_cpu_seconds.append(time.process_time() - cpu)
        amps = result * 1000 / volts[:, None]
        return {s.station_id: list(row) for s, row in zip(sessions, amps, strict=True)}


class LearntDepartures:
    """`--departures learnt`: each session's departure as the server learns it when none is
    given (`smart_charging.departures.learnt_departure`), from its driver's stays that ended
    before it arrived and the site's, read once per session (as the control loop does) and
    re-estimated at each step knowing the driver is still there. Times in the day's periods.
    """

    def __init__(self, site: "Site", day: int, policy: DeparturePolicy = DeparturePolicy()):
        self.policy = policy
        self.shift = day * PERIODS_PER_DAY
        self.stays = {ev.session_id: _stay(ev.arrival, ev.departure) for ev in site.evs}
        self.arrival = {ev.session_id: ev.arrival for ev in site.evs}
        self.drivers = site.drivers
        self._past: dict[str, tuple[list[Stay], list[Stay]]] = {}
        self._by_driver: dict[str, list[str]] = {}
        for session_id, driver in site.drivers.items():
            self._by_driver.setdefault(driver, []).append(session_id)

    def departure(self, session_id: str, now: int) -> int:
        """The learnt departure (period of the day), or the end of the day's horizon if none."""
        arrival = self.arrival[session_id]
        own, everyone = self._read(session_id, arrival)
        at = learnt_departure(
            _time(arrival), own, everyone, UTC, self.policy, _time(self.shift + now)
        )
        if at is None:
            return now + OnlinePolicy.max_horizon_periods
        return int(np.ceil((at - EPOCH) / PERIOD)) - self.shift

    def spread(self, session_id: str, now: int) -> tuple[int, np.ndarray]:
        """`--departures spread`: the latest learnt departure (period of the day, blurred by
        `departures.BLUR`) and, for
        each period of the MPC's horizon from `now`, the chance the driver is still there
        (`smart_charging.departures.presence`); with none learnt, the horizon's end, certain."""
        arrival = self.arrival[session_id]
        own, everyone = self._read(session_id, arrival)
        start = _time(self.shift + now)
        horizon = OnlinePolicy.max_horizon_periods
        every = learnt_departures(_time(arrival), own, everyone, UTC, self.policy, start)
        if every is None:
            return now + horizon, np.ones(horizon)
        latest = int(np.ceil((every[-1] + BLUR - EPOCH) / PERIOD)) - self.shift
        return latest, presence(every, start, PERIOD, horizon)

    def _read(self, session_id: str, arrival: int) -> tuple[list[Stay], list[Stay]]:
        if session_id not in self._past:
            ended = _time(arrival)
            driver = self.drivers.get(session_id)
            mine = [self.stays[s] for s in self._by_driver.get(driver, [])] if driver else []
            own = sorted((s for s in mine if s.departure <= ended), key=lambda s: s.departure)
            site = sorted(
                (s for s in self.stays.values() if s.departure <= ended),
                key=lambda s: s.departure,
            )
            self._past[session_id] = (
                own[-self.policy.recent :],
                site[-self.policy.site_recent :],
            )
        return self._past[session_id]


def _time(period: int) -> datetime:
    return EPOCH + period * PERIOD


def _stay(arrival: int, departure: int) -> Stay:
    return Stay(_time(arrival), _time(departure))


def _plan_periods(state: OnlineState, policy: OnlinePolicy, plugged_in: int) -> np.ndarray:
    """The first REPLAN_PERIODS periods of the MPC plan (kW) for the plugged-in sessions."""
    schedule = plan(state, policy)
    if not schedule.ok:
        return np.zeros((plugged_in, 1))
    width = min(REPLAN_PERIODS, policy.fine_periods, schedule.power_kw.shape[1])
    power = schedule.power_kw[:plugged_in, :width]
    return np.clip(power, 0.0, state.max_power_kw[:plugged_in, None])


class Replay(BaseAlgorithm):  # type: ignore[misc]
    """Plays a precomputed schedule (A per station per period) back to the simulator."""

    def __init__(self, pilots: dict[str, np.ndarray]):
        super().__init__()
        self.pilots = pilots
        self.step_seconds: list[float] = []
        self.step_cpu_seconds: list[float] = []

    def schedule(self, active_sessions: list[Any]) -> dict[str, list[float]]:
        now = self.interface.current_time
        return {
            s.station_id: list(self.pilots[s.session_id][now:] + 0.0) or [0.0]
            for s in active_sessions
        }


def offline_optimum(
    evs: list[Any], network: Any, max_power: dict[str, float], prices: np.ndarray
) -> tuple[dict[str, np.ndarray], float]:
    """Perfect foresight: one LP over the day's sessions, most energy first, then lowest cost."""
    info = _info(network)
    horizon = max(ev.departure for ev in evs)
    stations = [info.get_station_index(ev.station_id) for ev in evs]
    constraints = tuple(
        TimedConstraint(c.name, c.coefficients, np.full(horizon, c.limit))
        for c in kw_constraints(info, stations)
    )
    # Departure-time accounting: a session's slots are [arrival, departure).
    problem = FleetProblem(
        slot_hours=np.full(horizon, PERIOD_MIN / 60),
        start_slot=np.array([ev.arrival for ev in evs]),
        end_slot=np.array([ev.departure for ev in evs]),
        max_power_kw=np.array([max_power[ev.session_id] for ev in evs]),
        energy_kwh=np.array([ev.requested_energy for ev in evs]),
        constraints=constraints,
        price=prices[:horizon],
        polygon_faces=OFFLINE_POLYGON_FACES,
    )
    started = time.perf_counter()
    result = solve(problem)
    elapsed = time.perf_counter() - started
    amps = result.power_kw * 1000 / VOLTAGE
    return {ev.session_id: amps[i] for i, ev in enumerate(evs)}, elapsed


def _info(network: Any) -> Any:
    return InfrastructureInfo(
        network.constraint_matrix,
        network.magnitudes,
        network._phase_angles,
        network._voltages,
        network.constraint_index,
        network.station_ids,
        network.max_pilot_signals,
        network.min_pilot_signals,
        network.allowable_rates,
        network.is_continuous,
    )


class Timed(BaseAlgorithm):  # type: ignore[misc]
    """Wraps an acnportal algorithm to time each of its control steps."""

    def __init__(self, inner: BaseAlgorithm):
        super().__init__()
        self.inner = inner
        self.max_recompute = inner.max_recompute
        self.step_seconds: list[float] = []
        self.step_cpu_seconds: list[float] = []

    def register_interface(self, interface: Any) -> None:
        super().register_interface(interface)
        self.inner.register_interface(interface)

    def schedule(self, active_sessions: list[Any]) -> dict[str, list[float]]:
        started, cpu = time.perf_counter(), time.process_time()
        result: dict[str, list[float]] = self.inner.schedule(active_sessions)
        self.step_seconds.append(time.perf_counter() - started)
        self.step_cpu_seconds.append(time.process_time() - cpu)
        return result


@dataclass
class Outcome:
    requested: float = 0.0
    delivered: float = 0.0
    sessions: int = 0
    served: int = 0
    peak_kw: float = 0.0
    cost: float = 0.0
    step_seconds: list[float] = field(default_factory=list)
    step_cpu_seconds: list[float] = field(default_factory=list)
    """CPU time of the step's process: on a shared machine, what the step costs (wall time
    also counts the time other work held the CPU)."""

    def add(self, other: "Outcome") -> None:
        self.requested += other.requested
        self.delivered += other.delivered
        self.sessions += other.sessions
        self.served += other.served
        self.peak_kw = max(self.peak_kw, other.peak_kw)
        self.cost += other.cost
        self.step_seconds += other.step_seconds
        self.step_cpu_seconds += other.step_cpu_seconds


@dataclass(frozen=True)
class MpcOptions:
    forecast: str = "history"
    """"history": expected arrivals from past comparable days; "none"; "oracle": today's own
    sessions (peeks at the future: a diagnostic bound on what a forecast can give, not a result)."""
    forecast_days: int = 5
    expected_weight: float = 0.6
    """Value of an expected kWh against a plugged-in one: below 1, as the forecast is rough."""
    completion_tilt: float = OnlinePolicy.completion_tilt
    """`OnlinePolicy.completion_tilt`: how strongly shortfall is settled on the sessions
    needing most, so the others leave fully charged."""
    departures: str = "estimated"
    """"estimated": the departure drivers gave (what a controller knows); "learnt": none given,
    each learnt from the driver's past stays (`LearntDepartures`); "none": none given nor
    learnt (each session planned to the horizon's end); "actual": the real one
    (peeks at the future: a diagnostic of what the estimates cost, not a result)."""
    quantile: float = DeparturePolicy.quantile
    """With learnt departures: `DeparturePolicy.quantile`."""


def forecast_for(site: Site, day: int, options: MpcOptions) -> ArrivalForecast | None:
    """The last `forecast_days` days before `day` of the same kind (weekday or weekend)."""
    if options.forecast == "none":
        return None
    if options.forecast == "oracle":
        return ArrivalForecast([past_sessions(site, day)])
    weekday = (MONTH_START + timedelta(days=day)).weekday() < 5
    similar = [
        d
        for d in range(day - 1, -1, -1)
        if ((MONTH_START + timedelta(days=d)).weekday() < 5) == weekday
    ]
    return ArrivalForecast([past_sessions(site, d) for d in similar[: options.forecast_days]])


def past_sessions(site: Site, day: int) -> list[PastSession]:
    return [
        PastSession(
            ev.arrival,
            ev.departure,
            ev.requested_energy,
            site.max_power[ev.session_id],
            ev.station_id,
        )
        for ev in day_evs(site.evs, day)
    ]


Task = tuple[str, int, int, float, str, MpcOptions]
"""Site name, seed, day, limit (kW), algorithm, MPC options."""


def run_one(task: Task) -> tuple[float, str, Outcome]:
    site_name, seed, day, limit_kw, name, options = task
    warnings.filterwarnings("ignore")
    site = site_named(site_name, seed)
    evs = day_evs(site.evs, day)
    start = datetime.combine(MONTH_START + timedelta(days=day), datetime.min.time(), TZ)
    tariff = TimeOfUseTariff("sce_tou_ev_4_march_2019")
    if not evs:
        return limit_kw, name, Outcome()
    # Prices for the longest stay (a few sessions last days) plus the MPC's look-ahead.
    horizon = max(ev.departure for ev in evs) + 2 * PERIODS_PER_DAY
    prices = np.array(tariff.get_tariffs(start, horizon, PERIOD_MIN))
    scheduler: Any
    if name == "Offline optimum":
        pilots, seconds = offline_optimum(evs, site.network(limit_kw), site.max_power, prices)
        scheduler = Replay(pilots)
        scheduler.step_seconds = [seconds]
    elif name == "Chargeyard MPC":
        scheduler = ChargeyardMpc(
            site.max_power,
            lambda now, n: prices[now : now + n],
            forecast_for(site, day, options),
            options.expected_weight,
            options.completion_tilt,
            {ev.session_id: ev.departure for ev in evs} if options.departures == "actual" else None,
            (
                LearntDepartures(site, day, DeparturePolicy(quantile=options.quantile))
                if options.departures in ("learnt", "spread")
                else None
            ),
            options.departures == "none",
            options.departures == "spread",
        )
    else:
        scheduler = Timed(_acnportal(name))
    network = site.network(limit_kw)
    queue = acnsim.EventQueue()
    queue.add_events([acnsim.PluginEvent(ev.arrival, ev) for ev in evs])
    sim = acnsim.Simulator(network, scheduler, queue, start, period=PERIOD_MIN, verbose=False)
    sim.run()
    demand = [ev.requested_energy - ev.energy_delivered for ev in sim.ev_history.values()]
    outcome = Outcome(
        requested=acnsim.analysis.total_energy_requested(sim),
        delivered=acnsim.analysis.total_energy_delivered(sim),
        sessions=len(demand),
        served=sum(1 for d in demand if d < 0.01),
        peak_kw=float(np.max(acnsim.analysis.aggregate_power(sim))),
        cost=float(acnsim.analysis.energy_cost(sim, tariff)),
        step_seconds=list(scheduler.step_seconds),
        step_cpu_seconds=list(scheduler.step_cpu_seconds),
    )
    return limit_kw, name, outcome


def _acnportal(name: str) -> BaseAlgorithm:
    if name == "Uncontrolled":
        return algorithms.UncontrolledCharging()
    if name == "Round robin":
        return algorithms.RoundRobin(algorithms.first_come_first_served)
    if name == "EDF":
        return algorithms.SortedSchedulingAlgo(algorithms.earliest_deadline_first)
    return algorithms.SortedSchedulingAlgo(algorithms.least_laxity_first)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--site",
        default="caltech",
        choices=("caltech", *SITES),
        help="Caltech's real sessions or a synthetic site (synthetic_sites.py)",
    )
    parser.add_argument("--seed", type=int, default=7, help="a synthetic site's seed")
    parser.add_argument("--start", default="2019-03-01", help="first day (2019-03-01..31)")
    parser.add_argument("--days", type=int, default=31)
    parser.add_argument("--limits", help="site limits, kW (default: the site's)")
    parser.add_argument("--algorithms", default=",".join(ALGORITHMS))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--forecast",
        default="history",
        choices=("history", "none", "oracle"),
        help="MPC's expected arrivals: from past days, none, or today's own (a diagnostic)",
    )
    parser.add_argument("--forecast-days", type=int, default=5)
    parser.add_argument("--expected-weight", type=float, default=0.6)
    parser.add_argument(
        "--completion-tilt",
        type=float,
        default=OnlinePolicy.completion_tilt,
        help="MPC: extra cost of shortfall on nearly-done sessions (OnlinePolicy.completion_tilt)",
    )
    parser.add_argument(
        "--departures",
        default="estimated",
        choices=("estimated", "learnt", "spread", "none", "actual"),
        help="MPC: the drivers' estimated departures, departures learnt from each driver's past "
        "stays (none given; 'spread': all of them, each period counted at the chance the driver "
        "is still there), no departures at all, or the real ones (a diagnostic)",
    )
    parser.add_argument(
        "--quantile",
        type=float,
        default=DeparturePolicy.quantile,
        help="learnt departures: share of the driver's past stays ended by the estimate",
    )
    args = parser.parse_args()
    options = MpcOptions(
        args.forecast,
        args.forecast_days,
        args.expected_weight,
        args.completion_tilt,
        args.departures,
        args.quantile,
    )
    first = (date.fromisoformat(args.start) - MONTH_START).days
    days = [d for d in range(first, first + args.days) if 0 <= d < 31]
    site = site_named(args.site, args.seed)
    limits = [float(x) for x in args.limits.split(",")] if args.limits else list(site.limits)
    names = [n.strip() for n in args.algorithms.split(",")]
    tasks: list[Task] = [
        (args.site, args.seed, d, lim, n, options) for lim in limits for n in names for d in days
    ]
    # Slow tasks first, so the pool ends together.
    tasks.sort(key=lambda t: t[4] != "Round robin")
    started = time.perf_counter()
    results: dict[tuple[float, str], Outcome] = {}
    with multiprocessing.Pool(args.jobs) as pool:
        for limit_kw, name, outcome in pool.imap_unordered(run_one, tasks):
            results.setdefault((limit_kw, name), Outcome()).add(outcome)
    print_table(site.title, results, limits, names, days)
    print(f"\n{len(tasks)} simulations in {time.perf_counter() - started:.0f} s")


def print_table(
    title: str,
    results: dict[tuple[float, str], Outcome],
    limits: list[float],
    names: list[str],
    days: list[int],
) -> None:
    span = f"{MONTH_START + timedelta(days=days[0])} .. {MONTH_START + timedelta(days=days[-1])}"
    print(f"{title}, {span} ({len(days)} days), 5-minute steps")
    print(
        "| limit kW | algorithm | energy delivered | sessions fully served | peak kW "
        "| energy cost $ | step ms mean | step ms p95 | step ms max | CPU ms mean | CPU ms p95 |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for limit_kw in limits:
        for name in names:
            o = results.get((limit_kw, name))
            if o is None or not o.requested:
                continue
            steps = np.array(o.step_seconds or [0.0]) * 1000
            cpu = np.array(o.step_cpu_seconds or [0.0]) * 1000
            mean, p95, cpu_mean, cpu_p95 = (
                ("(LP)", "", "", "")
                if name == "Offline optimum"
                else (
                    f"{steps.mean():.1f}",
                    f"{np.percentile(steps, 95):.0f}",
                    f"{cpu.mean():.1f}",
                    f"{np.percentile(cpu, 95):.0f}",
                )
            )
            print(
                f"| {limit_kw:g} | {name} | {100 * o.delivered / o.requested:.2f}% "
                f"| {o.served}/{o.sessions} | {o.peak_kw:.1f} | {o.cost:.2f} | {mean} | {p95} "
                f"| {steps.max():.0f} | {cpu_mean} | {cpu_p95} |"
            )
    print_gaps(results, limits, names)


def print_gaps(
    results: dict[tuple[float, str], Outcome], limits: list[float], names: list[str]
) -> None:
    """Each online algorithm's shortfall against the offline optimum, in points of energy."""
    bound = "Offline optimum"
    if bound not in names:
        return
    print("\nGap to the offline optimum, points of requested energy delivered:")
    for name in (n for n in names if n not in (bound, "Uncontrolled")):
        gaps = []
        for limit_kw in limits:
            best, got = results.get((limit_kw, bound)), results.get((limit_kw, name))
            if best and got and best.requested:
                gap = round(100 * (best.delivered - got.delivered) / best.requested, 2) + 0.0
                gaps.append(f"{limit_kw:g} kW {gap:.2f}")
        print(f"- {name}: " + ", ".join(gaps))
    if "EDF" in names and "Chargeyard MPC" in names:
        print("\nChargeyard MPC against EDF (energy in points, sessions fully served):")
        for limit_kw in limits:
            edf, mpc = results.get((limit_kw, "EDF")), results.get((limit_kw, "Chargeyard MPC"))
            if edf and mpc and edf.requested:
                ahead = round(100 * (mpc.delivered - edf.delivered) / edf.requested, 2) + 0.0
                print(
                    f"- {limit_kw:g} kW: {ahead:+.2f} points, {mpc.served - edf.served:+d} sessions"
                )


if __name__ == "__main__":
    main()
