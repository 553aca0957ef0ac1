"""The defaults a station applies to a session Chargeyard has not reached yet. No I/O.

- A **fail-safe share** per EVSE: its share were every EVSE busy, in the snapshot given. The
  station-wide TxDefaultProfile (connector 0) carries its station's lowest share, so it holds
  whatever the others do. The planner sizes it in the site connection's firm headroom
  (`site_connection.firm`: less baseload, never plus solar).
- An **idle default** per EVSE without a session: what is left once the sessions' limits are
  served, up to its fail-safe share, rounded down to `IDLE_STEP_KW`. The planner sizes it in
  the view the sessions were planned in (`site_connection.live`), so sessions and idle
  defaults together fit it, and the cap keeps each under its fail-safe share (solar never
  raises a default above what holds without it).
"""

import math
from dataclasses import replace

from chargeyard.smart_charging.allocation import allocate
from chargeyard.smart_charging.snapshot import EvseId, Session, SessionId, SiteSnapshot

IDLE_STEP_KW = 0.5
"""Idle EVSEs' limits are rounded down to this, so a slowly drifting residual does not resend."""


def fail_safe_shares(snapshot: SiteSnapshot) -> dict[EvseId, float]:
    """Each EVSE's share with a session on every EVSE (equal priority, no minimums), in
    `snapshot`'s circuits: the planner passes the fail-safe view (`site_connection.firm`), where
    the site connection's baseload is a fixed load and solar adds nothing."""
    evses = tuple(replace(e, min_power_kw=0.0, power_step_kw=0.0) for e in snapshot.evses)
    sessions = tuple(Session(id=SessionId(e.id), evse_id=e.id, arrival=snapshot.now) for e in evses)
    busy = SiteSnapshot(snapshot.now, snapshot.circuits, evses, sessions)
    shares = allocate(busy).power_kw
    return {e.id: shares[SessionId(e.id)] for e in evses}


def idle_limits(
    snapshot: SiteSnapshot, busy_kw: dict[SessionId, float], fail_safe: dict[EvseId, float]
) -> dict[EvseId, float]:
    """What each idle EVSE may draw on top of the sessions' limits, up to its fail-safe share,
    in `snapshot`'s circuits: the planner passes the live view (baseload and solar now), the
    one the sessions were planned in, so sessions and idle EVSEs together fit it."""
    on = {s.evse_id: busy_kw.get(s.id, 0.0) for s in snapshot.sessions}
    evses = tuple(
        replace(
            e, min_power_kw=0.0, power_step_kw=0.0, idle_reserve_kw=on.get(e.id, e.idle_reserve_kw)
        )
        for e in snapshot.evses
    )
    # An idle EVSE with a reserve already (an offline station's) keeps it as a fixed load.
    idle = [e for e in evses if e.id not in on and e.idle_reserve_kw <= 0]
    sessions = tuple(
        Session(
            id=SessionId(e.id), evse_id=e.id, arrival=snapshot.now, max_power_kw=fail_safe[e.id]
        )
        for e in idle
    )
    shares = allocate(SiteSnapshot(snapshot.now, snapshot.circuits, evses, sessions)).power_kw
    return {
        e.id: math.floor(shares[SessionId(e.id)] / IDLE_STEP_KW + 1e-9) * IDLE_STEP_KW for e in idle
    }
