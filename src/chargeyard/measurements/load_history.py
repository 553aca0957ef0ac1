"""What a circuit's load and limits were over a window, read once, for the circuit page
(`dashboard/circuits.py`) and `/api/v1/timeseries/circuits/{id}` alike: the circuit and its
sub-tree, its capacity windows and curtailments, the sessions on its stations, their power
readings and the profiles their stations accepted, and the readings of the external meters on
it, swept into steps (`circuit_load.py`).

Every statement is scoped to one organization.
"""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from chargeyard.capacity_windows.models import CapacityWindowRow
from chargeyard.capacity_windows.repository import CapacityWindowRepository
from chargeyard.circuits.models import CircuitRow
from chargeyard.demand_response.domain import DemandResponseKind
from chargeyard.external_meters.repository import ExternalMeterRepository
from chargeyard.load_management.circuit_load import (
    LoadSteps,
    MeterPower,
    PowerReading,
    SessionSpan,
    load_steps,
)
from chargeyard.load_management.repository import SiteRepository
from chargeyard.load_management.site_reader import circuit_value, subtree
from chargeyard.measurements.load_history_repository import (
    MAX_ROWS,
    MAX_SESSIONS,
    LoadHistoryReads,
)
from chargeyard.smart_charging.snapshot import CapacityWindow
from chargeyard.storage.session import AsyncSession
from chargeyard.transactions.models import Transaction


@dataclass(frozen=True)
class LoadHistory:
    """A circuit's load over a window, with what the circuit page shows around it."""

    row: CircuitRow
    rows: Sequence[CircuitRow]
    """Every circuit of the organization (the page names the parent and children)."""
    below: list[str]
    """The ids of the circuit and the circuits under it: their stations count."""
    windows: list[CapacityWindow]
    """Its capacity windows and curtailments, as the limit in force reads them."""
    capacity_windows: Sequence[CapacityWindowRow]
    curtailments: list[CapacityWindow]
    sessions: Sequence[Transaction]
    steps: LoadSteps
    truncated: bool
    """The span held more than is read: only its newest part is complete."""


async def load_history(
    session: AsyncSession, organization_id: str, circuit_id: str, since: datetime, until: datetime
) -> LoadHistory:
    """A circuit's load and limits from `since` to `until` (404 for a circuit the organization
    does not have); `since == until` is one instant, from each session's last reading."""
    reads = LoadHistoryReads(session, organization_id)
    row = await reads.circuits.get(circuit_id)
    rows = await reads.circuits.all()
    below = [r.id for r in subtree(rows, row.id)]
    capacity_windows = await CapacityWindowRepository(session, organization_id).on([row.id])
    curtailments = [
        CapacityWindow(e.starts_at, e.ends_at, e.max_power_kw or 0.0)
        for e in await SiteRepository(session, organization_id).demand_response(
            [row.id], until, since
        )
        if e.kind == DemandResponseKind.CURTAILMENT
    ]
    windows = [
        CapacityWindow(w.starts_at, w.ends_at, w.max_power_kw, w.max_current_a)
        for w in capacity_windows
    ] + curtailments
    sessions = await reads.sessions(below, since, until)
    ids = [tx.id for tx in sessions]
    if since == until:
        # One instant (the page's own figures): each session's last reading is on its row.
        readings = [
            PowerReading(tx.id, since, tx.last_power_w / 1000)
            for tx in sessions
            if tx.last_power_w is not None
        ]
    else:
        readings = await reads.readings(ids, since, until) if ids else []
    accepted = await reads.accepted(below, since, until)
    meters = await metered(session, organization_id, row, below, since, until)
    # A long span is tens of thousands of events: swept in a worker thread, so the event loop
    # (OCPP connections, leases) keeps its turns meanwhile.
    steps = await asyncio.to_thread(
        load_steps,
        circuit_value(row, tuple(windows)),
        spans(sessions),
        readings,
        accepted,
        since,
        until,
        meters,
    )
    truncated = (
        len(sessions) >= MAX_SESSIONS
        or len(readings) >= MAX_ROWS
        or len(accepted) >= MAX_ROWS
        or len(meters) >= MAX_ROWS
    )
    return LoadHistory(
        row, rows, below, windows, capacity_windows, curtailments, sessions, steps, truncated
    )


async def metered(
    session: AsyncSession,
    organization_id: str,
    row: CircuitRow,
    below: list[str],
    since: datetime,
    until: datetime,
) -> list[MeterPower]:
    """The readings of the external meters on the circuit or under it, and for a site
    connection on its location too: where the planner counts them (`site_reader.py`)."""
    meters = ExternalMeterRepository(session, organization_id)
    placed = await meters.of_site(below, row.location_id if row.parent_id is None else None)
    found = await meters.window([m.id for m in placed], since, until, MAX_ROWS)
    return [MeterPower(r.meter_id, r.measured_at, r.power_kw) for r in found]


def spans(transactions: Sequence[Transaction]) -> list[SessionSpan]:
    return [
        SessionSpan(tx.id, tx.station_id, tx.evse_id, tx.started_at, tx.stopped_at)
        for tx in transactions
    ]
