"""A control step's read -> plan sequence, written once: the controller's step runs it for
every managed site of an organization (then delivers), the what-if endpoint for one site (and
sends nothing).

Delivery's memory is loaded first, so the plans start from what stations hold; the sites, the
rotation's turns and the stations waiting for admission are read in one unit of work.
"""

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from chargeyard.errors import NotFound
from chargeyard.load_management.admission_repository import AdmissionRepository
from chargeyard.load_management.delivery import Delivery
from chargeyard.load_management.learnt_departures import LearntDepartures
from chargeyard.load_management.planner import InForce, Plan, plan
from chargeyard.load_management.repository import TurnRepository
from chargeyard.load_management.site_reader import Site, SiteReader
from chargeyard.smart_charging.rotation import Turn
from chargeyard.smart_charging.snapshot import Objective, SessionId
from chargeyard.storage.database import Database


@dataclass(frozen=True)
class Planned:
    plans: list[Plan]
    in_force: InForce
    """What delivery knew to be in force when the sites were planned."""
    turns: dict[int, Turn]
    """Every running session's turn as read (by transaction)."""
    waiting: dict[str, datetime]
    """Stations already waiting for admission when the sites were read (station -> since):
    their boot forgot what they held before this step planned, so only these can be admitted
    by it."""


async def read_and_plan(
    db: Database,
    delivery: Delivery,
    organization_id: str,
    now: datetime,
    roots: Sequence[str] | None = None,
    objective: Objective | None = None,
    departures: LearntDepartures | None = None,
) -> Planned:
    """Plan the organization's managed sites (`roots`: only these site connections) as a step
    would now; `objective` overrides the sites' own (what-if). A circuit deleted meanwhile is
    left out. `departures`: the control loop's memory of its sessions' past stays."""
    await delivery.load(organization_id)
    async with db.reading() as uow:
        reader = SiteReader(uow, organization_id, departures)
        sites = []
        for root in await reader.roots() if roots is None else roots:
            with contextlib.suppress(NotFound):
                sites.append(await reader.read(root, now))
        waiting = await AdmissionRepository(uow.session, organization_id).waiting()
        turns = await TurnRepository(uow.session, organization_id).all()
    if objective is not None:
        sites = [replace(site, objective=objective) for site in sites]
    in_force = delivery.in_force(organization_id)
    plans = [plan(site, in_force, site_turns(site, turns)) for site in sites]
    return Planned(plans, in_force, turns, waiting)


def site_turns(site: Site, stored: dict[int, Turn]) -> dict[SessionId, Turn]:
    """The stored turns (by transaction) of the site's sessions."""
    return {
        sid: stored[info.transaction_id]
        for sid, info in site.sessions.items()
        if info.transaction_id in stored
    }
