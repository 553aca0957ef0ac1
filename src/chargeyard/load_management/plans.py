"""Plans computed on request (what-if: the controller's read -> plan sequence, `step.py`, with
nothing sent) and their API shape."""

from datetime import datetime

from chargeyard.circuits.repository import CircuitRepository
from chargeyard.errors import Forbidden, NotFound
from chargeyard.load_management import schemas as s
from chargeyard.load_management.controller import SmartChargingController
from chargeyard.load_management.planner import Plan
from chargeyard.load_management.step import read_and_plan
from chargeyard.site_scopes.scope import site_scope_of
from chargeyard.smart_charging.snapshot import Objective
from chargeyard.storage.database import Database


async def what_if(
    db: Database,
    control: SmartChargingController,
    organization_id: str,
    circuit_id: str,
    objective: Objective | None,
    now: datetime,
) -> Plan:
    """The plan of the site `circuit_id` belongs to, as a step would make it now (from the
    sessions' current turns); not sent, and the turns are left as they are.

    A plan is the whole site's (its connection's limit shares power among every station under
    it), so it is read for the organization; a site-scoped caller gets it only when it sees
    the site's connection, i.e. every station under it is in its sites (403 otherwise; 404 for
    a circuit it does not see at all)."""
    async with db.reading() as uow:
        root = await CircuitRepository(uow.session, organization_id).get(circuit_id)
        whole = CircuitRepository(uow.session, str(organization_id))  # not narrowed to sites
        by_id = {row.id: row for row in await whole.all()}
        while root.parent_id is not None and root.parent_id in by_id:
            root = by_id[root.parent_id]
        scope = site_scope_of(organization_id)
        if scope is not None and not scope.covers_circuit(root.id):
            raise Forbidden(
                "this circuit's site connection also feeds stations outside your sites; "
                "its plan covers them"
            )
    organization = str(organization_id)
    planned = await read_and_plan(
        db, control.delivery, organization, now, [root.id], objective, control.departures
    )
    if not planned.plans:  # deleted meanwhile
        raise NotFound(f"Circuit {circuit_id!r} does not exist")
    return planned.plans[0]


def plan_out(made: Plan) -> s.PlanOut:
    site = made.site
    sessions = []
    for session in site.snapshot.sessions:
        info = site.sessions[session.id]
        values = made.schedules.get(session.id)
        sessions.append(
            s.SessionPlanOut(
                transaction_id=info.transaction_id,
                station_id=info.station_id,
                evse_id=info.evse_id,
                power_kw=round(made.power_kw[session.id], 3),
                schedule_kw=None if values is None else [round(v, 3) for v in values],
                energy_needed_kwh=session.energy_needed_kwh,
                departure=session.departure,
            )
        )
    limits = [
        s.LimitOut(
            station_id=t.station_id,
            evse_id=t.evse_id,
            purpose=t.purpose.value,
            limit_kw=round(t.first_kw, 3),
        )
        for t in made.targets
    ]
    return s.PlanOut(
        circuit_id=site.root_id,
        objective=site.objective,
        at=site.snapshot.now,
        slot_minutes=int(site.horizon.slot.total_seconds() // 60),
        sessions=sessions,
        limits=limits,
        total_kw=round(sum(made.power_kw.values()), 3),
        solve_ms=round(made.seconds * 1000, 3),
    )
