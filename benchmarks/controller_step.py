"""The server's control step under the `fleet` objective, with and without the preferences it
shares with the benchmarked MPC (completion: `completion.completion_weights`; charging early:
`schedule.EARLY_COST`), in one run: `load_management.planner.plan`, the function the controller
calls at every step (read site -> plan -> deliver; only the read and the delivery are left out).

The site is built like the held-out one of issue 14: 52 EVSEs (single-phase 7.4 kW, on L1, L2
or L3 in turn, and three-phase 11 kW every fourth) on four feeders limited per phase to a share
of what all their EVSEs could draw on one line (a phasor limit: single-phase loads on different
lines), under a site connection limited in kW; 60
arrivals a day (seeded), staying 1-10 h, each asking 5-40 kWh (at most 80 % of what its EVSE
could give over its stay), departure known. The day is
replayed in 5-minute steps: each step plans every plugged-in session, the sessions then draw
their plan's first slot for 5 minutes (capped by what they still need). The variants replay
the same day, alternating step by step so all see the same machine load.

    .venv/bin/python benchmarks/controller_step.py [--site-kw 60] [--feeder-share 0.25] [--seed 7]

Prints, per variant, the CPU time per step (median, p95, max: `time.process_time`, which a
loaded shared machine inflates less than wall time), the energy delivered and the sessions that
left with all they asked for.
"""

import argparse
import os
import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from chargeyard.charging_profiles.domain import Purpose
from chargeyard.load_management.domain import Wiring
from chargeyard.load_management.planner import InForce, plan
from chargeyard.load_management.site_reader import (
    HORIZON_SLOTS,
    SLOT,
    SessionInfo,
    Site,
    StationInfo,
)
from chargeyard.smart_charging.completion import DEFAULT_TILT
from chargeyard.smart_charging.electrical import ElectricalSpec, Line, Supply
from chargeyard.smart_charging.horizon import Horizon
from chargeyard.smart_charging.schedule import EARLY_COST
from chargeyard.smart_charging.snapshot import (
    Circuit,
    CircuitId,
    Evse,
    EvseId,
    Objective,
    Session,
    SessionId,
    SiteSnapshot,
)

DAY = datetime(2026, 3, 2, tzinfo=UTC)
STEP = timedelta(minutes=5)
FEEDERS = 4
THREE_PHASE = ElectricalSpec(Supply.AC_THREE_PHASE_LN, 230.0)
LINES = (Line.L1, Line.L2, Line.L3)


@dataclass(frozen=True)
class Arrival:
    evse: int
    arrival: datetime
    departure: datetime
    need_kwh: float


def network(
    evses: int, site_kw: float, feeder_share: float
) -> tuple[tuple[Circuit, ...], tuple[Evse, ...]]:
    root = CircuitId("site")
    circuits = [Circuit(root, max_power_kw=site_kw, objective=Objective.FLEET)]
    per_feeder = -(-evses // FEEDERS)
    for f in range(FEEDERS):
        # A share of what every EVSE of the feeder could draw on one line at once.
        limit_a = feeder_share * per_feeder * 32.0
        circuits.append(Circuit(CircuitId(f"f{f}"), root, max_current_a=limit_a))
    found = []
    for i in range(evses):
        feeder = CircuitId(f"f{i // per_feeder}")
        if i % 4 == 3:
            found.append(Evse(EvseId(f"S{i}#1"), feeder, THREE_PHASE, 11.0))
        else:
            spec = ElectricalSpec(Supply.AC_SINGLE_PHASE, 230.0, lines=(LINES[i % 3],))
            found.append(Evse(EvseId(f"S{i}#1"), feeder, spec, 7.4))
    return tuple(circuits), tuple(found)


def arrivals(evses: int, per_day: int, seed: int) -> list[Arrival]:
    """`per_day` arrivals on free EVSEs (one that finds all busy drives away)."""
    rng = np.random.default_rng(seed)
    free_at = [DAY] * evses
    found = []
    for minute in sorted(rng.normal(10 * 60, 3 * 60, per_day).clip(0, 20 * 60)):
        at = DAY + timedelta(minutes=5 * int(minute // 5))
        free = [i for i in range(evses) if free_at[i] <= at]
        if not free:
            continue
        evse = free[int(rng.integers(len(free)))]
        stay = timedelta(minutes=int(rng.integers(12, 121)) * 5)
        free_at[evse] = at + stay
        could = (11.0 if evse % 4 == 3 else 7.4) * stay.total_seconds() / 3600
        found.append(Arrival(evse, at, at + stay, min(float(rng.uniform(5, 40)), 0.8 * could)))
    return found


def site_at(
    now: datetime,
    circuits: tuple[Circuit, ...],
    evses: tuple[Evse, ...],
    present: list[tuple[int, Arrival, float]],
    preferences: tuple[float, float],
) -> Site:
    sessions, infos = [], {}
    for number, a, remaining in present:
        sid = SessionId(str(number))
        sessions.append(
            Session(
                sid,
                evses[a.evse].id,
                a.arrival,
                departure=a.departure,
                energy_needed_kwh=remaining,
            )
        )
        infos[sid] = SessionInfo(number, str(number), f"S{a.evse}", 1, None)
    places = {e.id: (f"S{i}", 1) for i, e in enumerate(evses)}
    stations = {
        station: StationInfo(station, e.circuit_id, "ocpp1.6", True, "v", "m", "f", None)
        for e, (station, _) in zip(evses, places.values(), strict=True)
    }
    start = now - timedelta(minutes=now.minute % 15)
    return Site(
        "site",
        Objective.FLEET,
        SiteSnapshot(now, circuits, evses, tuple(sessions)),
        stations,
        {e.id: Wiring(e.electrical, e.max_power_kw) for e in evses},
        places,
        infos,
        Horizon(
            start,
            SLOT,
            HORIZON_SLOTS,
            completion_tilt=preferences[0],
            early_cost=preferences[1],
        ),
        firm_baseload_kw=0.0,
    )


@dataclass
class Replay:
    name: str
    preferences: tuple[float, float]
    """(completion tilt, early cost)."""
    remaining: dict[int, float]
    cpu_s: list[float]
    delivered_kwh: float = 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-kw", type=float, default=60.0)
    parser.add_argument("--feeder-share", type=float, default=0.25)
    parser.add_argument("--evses", type=int, default=52)
    parser.add_argument("--arrivals", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    circuits, evses = network(args.evses, args.site_kw, args.feeder_share)
    day = arrivals(args.evses, args.arrivals, args.seed)
    stations = {f"S{i}" for i in range(len(evses))}
    # Every station has its fail-safe default in force, so no session counts as unprofiled.
    in_force = InForce({(s, 0, Purpose.TX_DEFAULT): 1.0 for s in stations}, {})
    variants = (
        ("neither (before)", (0.0, 0.0)),
        ("completion only", (DEFAULT_TILT, 0.0)),
        ("both (now)", (DEFAULT_TILT, EARLY_COST)),
    )
    replays = [
        Replay(name, chosen, {i: a.need_kwh for i, a in enumerate(day)}, [])
        for name, chosen in variants
    ]
    hours = STEP.total_seconds() / 3600
    now = DAY
    while now < DAY + timedelta(days=1):
        for replay in replays:
            present = [
                (i, a, replay.remaining[i])
                for i, a in enumerate(day)
                if a.arrival <= now < a.departure
            ]
            if not present:
                continue
            site = site_at(now, circuits, evses, present, replay.preferences)
            started = time.process_time()
            made = plan(site, in_force)
            replay.cpu_s.append(time.process_time() - started)
            for i, _a, remaining in present:
                drawn = min(made.power_kw[SessionId(str(i))] * hours, remaining)
                replay.remaining[i] = remaining - drawn
                replay.delivered_kwh += drawn
        now += STEP
    asked = sum(a.need_kwh for a in day)
    print(
        f"Control step (planner.plan, fleet): {len(evses)} EVSEs, {FEEDERS} feeders limited per "
        f"phase, site {args.site_kw:g} kW, {len(day)} sessions ({asked:.0f} kWh asked), "
        f"seed {args.seed}, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        "| preferences (completion, early) | steps | CPU ms per step: median | p95 | max "
        "| energy delivered | sessions fully served |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for replay in replays:
        ms = sorted(1000 * s for s in replay.cpu_s)
        full = sum(1 for v in replay.remaining.values() if v <= 0.01)
        print(
            f"| {replay.name} | {len(ms)} "
            f"| {statistics.median(ms):.1f} | {ms[int(0.95 * (len(ms) - 1))]:.1f} "
            f"| {ms[-1]:.1f} | {100 * replay.delivered_kwh / asked:.1f} % "
            f"| {full} of {len(day)} |"
        )


if __name__ == "__main__":
    main()
