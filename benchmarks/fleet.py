"""Fleet schedule solve time: synthetic depots of 100, 1,000 and 2,000 vehicles over 96 slots.

A depot is a site connection (limit: 35% of the installed power) with feeders of 50 EVSEs (11 kW
three-phase, feeder limit 60% of installed), vehicles arriving in the first 10 hours and staying
6-18 hours with 5-60 kWh to charge, a time-of-use price (peak 16:00-21:00), a price cap (at most
70% of the site above 0.30/kWh) and a demand-response curtailment (site at 50% for an hour).
Timed: building the LP from the snapshot and solving it with HiGHS (best and median of --repeat).

    .venv/bin/python benchmarks/fleet.py [--sizes 100,1000,2000] [--repeat 3]
"""

import argparse
import os
import statistics
import time
from datetime import UTC, datetime, timedelta

import numpy as np

from chargeyard.smart_charging.electrical import ElectricalSpec, Supply
from chargeyard.smart_charging.horizon import Horizon, PriceCap, fleet_problem
from chargeyard.smart_charging.schedule import solve
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

START = datetime(2025, 3, 3, 0, 0, tzinfo=UTC)
SLOT = timedelta(minutes=15)
SLOTS = 96
FEEDER = 50
SPEC = ElectricalSpec(Supply.AC_THREE_PHASE_LN, 230.0)


def depot(vehicles: int, seed: int = 0) -> tuple[SiteSnapshot, Horizon]:
    rng = np.random.default_rng(seed)
    site = CircuitId("site")
    dr = CapacityWindow(
        START + timedelta(hours=17), START + timedelta(hours=18), 0.5 * 11 * 0.35 * vehicles
    )
    circuits = [
        Circuit(site, max_power_kw=11 * 0.35 * vehicles, windows=(dr,), objective=Objective.FLEET)
    ]
    evses, sessions = [], []
    for i in range(vehicles):
        if i % FEEDER == 0:
            circuits.append(
                Circuit(CircuitId(f"f{i // FEEDER}"), site, max_power_kw=0.6 * 11 * FEEDER)
            )
        evses.append(Evse(EvseId(f"e{i}"), CircuitId(f"f{i // FEEDER}"), SPEC, 11.0))
        arrival = START + SLOT * int(rng.integers(0, 40))
        stay = SLOT * int(rng.integers(24, 72))
        sessions.append(
            Session(
                SessionId(f"s{i}"),
                EvseId(f"e{i}"),
                arrival,
                priority=int(rng.integers(1, 6)),
                departure=arrival + stay,
                energy_needed_kwh=float(rng.uniform(5, 60)),
            )
        )
    hours = np.arange(SLOTS) / 4
    price = np.where((hours >= 16) & (hours < 21), 0.40, np.where(hours < 7, 0.12, 0.22))
    horizon = Horizon(START, SLOT, SLOTS, price=price, price_caps=(PriceCap(0.30, 0.7),))
    return SiteSnapshot(START, tuple(circuits), tuple(evses), tuple(sessions)), horizon


def measure(vehicles: int, repeat: int) -> dict[str, float]:
    snapshot, horizon = depot(vehicles)
    build, total, unmet, requested, peak = [], [], 0.0, 0.0, 0.0
    for _ in range(repeat):
        started = time.perf_counter()
        problem = fleet_problem(snapshot, horizon)
        built = time.perf_counter()
        result = solve(problem)
        build.append(built - started)
        total.append(time.perf_counter() - started)
        assert result.ok, result.status
        unmet, requested, peak = (
            float(result.unmet_kwh.sum()),
            float(problem.energy_kwh.sum()),
            result.peak_kw,
        )
    return {
        "best": min(total),
        "median": statistics.median(total),
        "build": min(build),
        "served": 100 * (1 - unmet / requested),
        "peak": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,2000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"Fleet schedule, {SLOTS} slots of 15 min, load average {os.getloadavg()[0]:.1f}")
    print(
        "| vehicles | solve s (best) | solve s (median) | of which LP build s | energy planned | peak kW |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for size in (int(s) for s in args.sizes.split(",")):
        m = measure(size, args.repeat)
        print(
            f"| {size:,} | {m['best']:.3f} | {m['median']:.3f} | {m['build']:.3f} "
            f"| {m['served']:.1f}% | {m['peak']:.0f} |"
        )


if __name__ == "__main__":
    main()
