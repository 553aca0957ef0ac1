"""Two synthetic sites for `acn.py`, generated deterministically from a seed: a fleet depot and a
workplace. They exist so the optimizer is judged on sites it was never tuned on (the Caltech
ACN data set is where its defaults were chosen).

Both span the data set's calendar (March 2019, so the same tariff, weekday/weekend split and
history-based forecast apply) and run on acnportal networks built like the Caltech one: each
EVSE single-phase between two of the three lines (AB, BC, CA in turn), behind a transformer
whose primary and secondary limits follow from the site limit. Times are 5-minute periods from
each day's midnight; an EVSE takes one vehicle at a time (a vehicle that finds every EVSE busy
drives away and is not a session).

**Depot** (`depot`, 30 EVSEs of 48 A at 208 V, about 10 kW): a fleet of 30 vans, one bay each.
On a weekday 90 % of the vans come back (5 % on a weekend), between 14:00 and 21:00 (normal
around 17:30, sd 1 h), and leave the next morning between 04:30 and 09:00 (normal around
06:30, sd 45 min) on a departure the operator knows (estimated = actual). Each van has a fixed
battery (60, 75 or 90 kWh) and on-board charger (7.4 or 11 kW); it comes back at a state of
charge uniform in 15-60 % and must reach its group's target (80 % or 90 %): the session asks
for (target - SoC) x battery. Nights are long, so the limit decides who leaves short.

**Workplace** (`workplace`, 16 EVSEs of 32 A at 208 V, about 6.7 kW): the same people come
back, each with their habits. 22 employees and 60 occasional visitors, each with a fixed car
(on-board charger 3.7, 6.6 or 7.4 kW). An employee comes on 85 % of weekdays (15 % of weekend
days), arriving around their own usual time (spread over employees around 08:30, sd 50 min;
day to day sd 20 min); two in three leave by the clock (their own usual time, around 17:00,
sd 1 h over employees, day to day sd 25 min), the others after their own usual stay (around
8.5 h, sd 1.25 h over employees, day to day sd 30 min), at least 2 h. A visitor comes on 13 %
of weekdays (3 % of weekend days), uniformly 10:00-15:00, for their own usual 1-3 h (day to
day sd 20 min). That is about 26 cars trying to plug in on a weekday, 5 on a weekend day, as
before drivers had identities. Requested energy is lognormal around the driver's own median
(employees' medians around 11 kWh, visitors' around 5 kWh, day to day sd 0.3 in log), at most
what the car could take at full power over its stay. Estimated departure is the actual one
rounded to the hour (drivers' estimates are rough). `SyntheticSite.drivers` names each
session's driver (the depot's: its van), from which `acn.py --departures learnt` learns.

    from synthetic_sites import depot, workplace
    site = depot(seed=7)          # same seed, same sessions, on any machine
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from acnportal import acnsim
from acnportal.acnsim.models.evse import EVSE
from acnportal.acnsim.network.current import Current

PERIOD_MIN = 5
PER_HOUR = 60 // PERIOD_MIN
PER_DAY = 24 * PER_HOUR
DAYS = 31
VOLTAGE = 208.0
MONTH_FIRST_WEEKDAY = 4
"""2019-03-01 was a Friday (Monday = 0)."""


@dataclass(frozen=True)
class SyntheticSite:
    """Sessions (acnsim EVs, times in periods from 2019-03-01 00:00) and the network they need."""

    name: str
    evses: tuple[str, ...]
    max_rate_a: float
    evs: list[Any]
    max_power_kw: dict[str, float]
    """Per session: the lower of its on-board charger and its EVSE at 208 V."""
    limits_kw: tuple[float, ...]
    """The site limits the benchmark runs by default: from tight to nearly unconstrained."""
    drivers: dict[str, str]
    """Per session: who drove it (a driver comes back with their habits)."""

    def network(self, limit_kw: float, voltage: float = VOLTAGE) -> Any:
        return three_phase_network(self.evses, self.max_rate_a, limit_kw, voltage)


def three_phase_network(
    evses: tuple[str, ...], max_rate_a: float, limit_kw: float, voltage: float
) -> Any:
    """EVSEs across AB, BC and CA in turn behind one transformer, as acnportal builds Caltech's
    (primary 277 V and secondary 120 V per phase limits from the transformer's kW)."""
    network = acnsim.ChargingNetwork()
    lines: dict[str, list[str]] = {"AB": [], "BC": [], "CA": []}
    for i, evse_id in enumerate(evses):
        pair, angle = (("AB", 30), ("BC", -90), ("CA", 150))[i % 3]
        network.register_evse(EVSE(evse_id, max_rate=max_rate_a), voltage, angle)
        lines[pair].append(evse_id)
    ab, bc, ca = (Current(lines[p]) for p in ("AB", "BC", "CA"))
    i3a, i3b, i3c = ab - ca, bc - ab, ca - bc
    primary = limit_kw * 1000 / 3 / 277
    secondary = limit_kw * 1000 / 3 / 120
    for name, current in (("Secondary A", i3a), ("Secondary B", i3b), ("Secondary C", i3c)):
        network.add_constraint(current, secondary, name=name)
    for name, current in (
        ("Primary A", (i3a - i3c) / 4),
        ("Primary B", (i3b - i3a) / 4),
        ("Primary C", (i3c - i3b) / 4),
    ):
        network.add_constraint(current, primary, name=name)
    return network


def _weekday(day: int) -> bool:
    return (MONTH_FIRST_WEEKDAY + day) % 7 < 5


def _ev(
    session_id: str,
    evse: str,
    arrival: int,
    departure: int,
    energy_kwh: float,
    max_kw: float,
    estimated: int,
) -> Any:
    battery = acnsim.Battery(energy_kwh, 0, max_kw)  # kW (the EVSE's limit is in A)
    return acnsim.EV(arrival, departure, energy_kwh, evse, session_id, battery, estimated)


def _clipped_normal(
    rng: np.random.Generator, mean: float, sd: float, low: float, high: float
) -> float:
    return float(np.clip(rng.normal(mean, sd), low, high))


def depot(seed: int = 7, evse_count: int = 30) -> SyntheticSite:
    """A fleet depot: one van per bay, evening returns, morning departures, SoC targets."""
    rng = np.random.default_rng(seed)
    evses = tuple(f"DEPOT-{i + 1:02d}" for i in range(evse_count))
    battery = rng.choice([60.0, 75.0, 90.0], size=evse_count)
    charger = rng.choice([7.4, 11.0], size=evse_count)
    target = rng.choice([80.0, 90.0], size=evse_count)
    evs, max_power, drivers = [], {}, {}
    for day in range(DAYS):
        share = 0.9 if _weekday(day) else 0.05
        midnight = day * PER_DAY
        for van in range(evse_count):  # back by 21:00, gone by 09:00: a bay is always free
            if rng.random() >= share:
                continue
            arrival = midnight + round(_clipped_normal(rng, 17.5, 1.0, 14.0, 21.0) * PER_HOUR)
            leave = _clipped_normal(rng, 6.5, 0.75, 4.5, 9.0)
            departure = midnight + PER_DAY + round(leave * PER_HOUR)
            soc = rng.uniform(15.0, 60.0)
            session_id = f"depot-{day:02d}-{van + 1:02d}"
            energy = round((target[van] - soc) / 100 * battery[van], 2)
            evs.append(
                _ev(session_id, evses[van], arrival, departure, energy, charger[van], departure)
            )
            max_power[session_id] = min(float(charger[van]), 48.0 * VOLTAGE / 1000)
            drivers[session_id] = f"van-{van + 1:02d}"
    return SyntheticSite("depot", evses, 48.0, evs, max_power, (40, 60, 80, 100, 150), drivers)


@dataclass(frozen=True)
class Driver:
    """A workplace driver's habits: hours of the day, kWh, kW."""

    name: str
    employee: bool
    arrives: float
    by_clock: bool
    leaves: float
    """Usual departure hour (by the clock) or usual stay in hours (otherwise)."""
    energy_kwh: float
    max_kw: float


def _drivers(rng: np.random.Generator) -> list[Driver]:
    found = []
    for n in range(22):
        by_clock = bool(rng.random() < 2 / 3)
        leaves = (
            _clipped_normal(rng, 17.0, 1.0, 13.0, 21.0)
            if by_clock
            else max(3.0, rng.normal(8.5, 1.25))
        )
        found.append(
            Driver(
                f"employee-{n + 1:02d}",
                True,
                _clipped_normal(rng, 8.5, 50 / 60, 6.5, 11.0),
                by_clock,
                leaves,
                float(rng.lognormal(np.log(11.0), 0.35)),
                float(rng.choice([3.7, 6.6, 7.4])),
            )
        )
    for n in range(60):
        found.append(
            Driver(
                f"visitor-{n + 1:02d}",
                False,
                rng.uniform(10.0, 15.0),
                False,
                rng.uniform(1.0, 3.0),
                float(rng.lognormal(np.log(5.0), 0.4)),
                float(rng.choice([3.7, 6.6, 7.4])),
            )
        )
    return found


def _visit(rng: np.random.Generator, driver: Driver) -> tuple[float, float]:
    """One day's arrival and stay (hours) of a driver, around their habits."""
    if not driver.employee:
        start = float(np.clip(driver.arrives + rng.normal(0, 0.25), 9.5, 15.5))
        return start, max(0.5, driver.leaves + rng.normal(0, 1 / 3))
    start = _clipped_normal(rng, driver.arrives, 1 / 3, 6.0, 12.0)
    if driver.by_clock:
        stay = driver.leaves + rng.normal(0, 25 / 60) - start
    else:
        stay = driver.leaves + rng.normal(0, 0.5)
    return start, max(2.0, stay)


def workplace(seed: int = 7, evse_count: int = 16) -> SyntheticSite:
    """A workplace: commuters staying the day and short midday visitors, each with habits."""
    rng = np.random.default_rng(seed)
    evses = tuple(f"WORK-{i + 1:02d}" for i in range(evse_count))
    people = _drivers(rng)
    evs, max_power, drivers = [], {}, {}
    for day in range(DAYS):
        midnight = day * PER_DAY
        weekday = _weekday(day)
        coming = []
        for driver in people:
            share = (0.85 if weekday else 0.15) if driver.employee else (0.13 if weekday else 0.03)
            if rng.random() >= share:
                continue
            start, stay = _visit(rng, driver)
            energy = driver.energy_kwh * float(np.exp(rng.normal(0, 0.3)))
            arrival = midnight + round(start * PER_HOUR)
            departure = arrival + max(1, round(stay * PER_HOUR))
            top = min(driver.max_kw, 32.0 * VOLTAGE / 1000)
            energy = min(energy, 0.95 * top * (departure - arrival) / PER_HOUR)
            coming.append((arrival, departure, round(float(energy), 2), driver))
        busy_until = {e: -1 for e in evses}
        for arrival, departure, energy, driver in sorted(coming, key=lambda c: (c[0], c[3].name)):
            free = [e for e in evses if busy_until[e] < arrival]
            if not free:
                continue  # every EVSE taken: the driver parks elsewhere
            evse = free[0]
            busy_until[evse] = departure
            session_id = f"work-{day:02d}-{driver.name}"
            estimated = max(arrival + 1, round(departure / PER_HOUR) * PER_HOUR)
            evs.append(_ev(session_id, evse, arrival, departure, energy, driver.max_kw, estimated))
            max_power[session_id] = min(driver.max_kw, 32.0 * VOLTAGE / 1000)
            drivers[session_id] = driver.name
    return SyntheticSite("workplace", evses, 32.0, evs, max_power, (10, 15, 20, 30, 40), drivers)


SITES: dict[str, Callable[[int], SyntheticSite]] = {"depot": depot, "workplace": workplace}
