"""What the site connection carries besides the EVSEs, applied to a snapshot. No I/O.

Two views of the same readings, for two kinds of limit:

- `live`: the plan's view at `now`. Baseload takes its kW off the site connection's headroom,
  solar production adds to it (the net, baseload less solar, as the fleet LP counts it in each
  slot). Sessions' TxProfiles and idle EVSEs' defaults are planned in it: a step that follows
  each reading lowers them again if solar drops, so they may use what solar gives now.
- `firm`: the fail-safe view. Only load that holds without Chargeyard counts: baseload lowers
  the headroom, solar and power fed in by meters never raise it. A fail-safe default is what a
  station applies to a session Chargeyard has not reached (it joined while the server was gone,
  or before its own profile arrived); the server may be gone for good, and solar that vanishes
  behind a cloud, or a battery that stops feeding in, would then leave the stations over the
  limit with nobody to lower them. The measured baseload, by contrast, is there already: a
  share planned as if it were not would pass the limit the moment the fail-safe is used.

Both take the load as a fixed load on the site connection (`Circuit.metered_kw`), so it counts
under every limit of the site connection: its kW limit and capacity windows (after the buffer,
as the fleet LP's per-slot limits do), and a limit in A as an even load over its phases. Solar
surplus raises the kW limit and the windows' kW limits of the site connection only; it never
raises a limit in A (a conservative reading: the surplus' phases are not known).
"""

from dataclasses import replace
from datetime import datetime

from chargeyard.smart_charging.electrical import FloatArray
from chargeyard.smart_charging.horizon import Horizon
from chargeyard.smart_charging.snapshot import CircuitId, SiteSnapshot


def live(
    snapshot: SiteSnapshot, root_id: CircuitId, solar_kw: float, baseload_kw: float
) -> SiteSnapshot:
    """The snapshot with the site connection's headroom less baseload, plus solar, now."""
    return _with_net_load(snapshot, root_id, baseload_kw - solar_kw)


def firm(snapshot: SiteSnapshot, root_id: CircuitId, baseload_kw: float) -> SiteSnapshot:
    """The snapshot with the site connection's headroom less the load that holds without
    Chargeyard (`baseload_kw`, from 0 up): what fail-safe shares are sized in. Solar is not an
    argument, on purpose (the module's docstring says why)."""
    return _with_net_load(snapshot, root_id, max(0.0, baseload_kw))


def reading_now(series: FloatArray, horizon: Horizon, now: datetime) -> float:
    """A per-slot series' value in the slot under way at `now` (0: no readings)."""
    if not len(series):
        return 0.0
    index = min(max(int((now - horizon.start) / horizon.slot), 0), len(series) - 1)
    return float(series[index])


def _with_net_load(snapshot: SiteSnapshot, root_id: CircuitId, net_kw: float) -> SiteSnapshot:
    if net_kw == 0:
        return snapshot
    circuits = []
    for c in snapshot.circuits:
        if c.id == root_id and net_kw > 0:
            c = replace(c, metered_kw=c.metered_kw + net_kw)
        elif c.id == root_id:
            surplus = -net_kw
            c = replace(
                c,
                max_power_kw=None if c.max_power_kw is None else c.max_power_kw + surplus,
                windows=tuple(
                    w
                    if w.max_power_kw is None
                    else replace(w, max_power_kw=w.max_power_kw + surplus)
                    for w in c.windows
                ),
            )
        circuits.append(c)
    return replace(snapshot, circuits=tuple(circuits))
