"""The completion preference: who bears a shortfall when not every session can be served.

Unmet energy alone leaves an LP indifferent to *who* is short, and its solutions spread the
shortfall, so at a tight limit almost nobody leaves fully charged. Costing a kWh a little more
for sessions nearly done makes the LP settle the shortfall on the sessions that need most, as
shortest-remaining-first completes the most jobs; re-planning at every step raises a session's
weight as it fills, so it is finished rather than left a little short.

One rule for both users of the fleet LP: the server's controller (`horizon.fleet_problem`, the
`fleet` objective) and the online MPC the benchmark replays (`online.plan`). Pure.
"""

import numpy as np

from chargeyard.smart_charging.electrical import FloatArray

DEFAULT_TILT = 0.2
"""How much more a kWh of unmet energy costs on the session closest to done than on the
farthest (a share of its weight). 0: energy alone. 0.2 was the first value tried
(benchmarks/acn.py, docs/performance.md), not a tuned one."""


def completion_weights(remaining_kwh: FloatArray, tilt: float = DEFAULT_TILT) -> FloatArray:
    """Multipliers (1 to 1 + `tilt`) of each plugged-in session's weight: the less it still
    needs, the more its shortfall costs.

    The multiplier is smooth in the remaining energy (scale: the median need), so equal needs
    weigh the same. Energy is given up only where serving the nearly-done session takes more of
    a shared limit per kWh than serving another (phases), and boundedly: with unmet energy the
    only cost, the tilted plan's shortfall is at most (1 + `tilt`) times the least possible,
    since Σu ≤ Σw·u ≤ Σw·u_least ≤ (1 + tilt)·Σu_least.
    """
    if tilt <= 0 or len(remaining_kwh) == 0:
        return np.ones(len(remaining_kwh))
    remaining = np.maximum(np.asarray(remaining_kwh, dtype=np.float64), 0.0)
    scale = max(float(np.median(remaining)), 1e-3)
    return 1.0 + tilt * scale / (scale + remaining)
