"""All SQL of reconciliation: open sessions with what their station and connector last said.

Read by the alert evaluator's sweep for every organization at once (the `session-zombie` rule)
and by the reconciliation endpoints for one organization; only sessions showing a sign of being
forgotten are read, so a network's healthy sessions cost nothing.
"""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.alerts.domain import RuleName
from chargeyard.alerts.models import AlertWatch
from chargeyard.reconciliation.domain import OpenSession
from chargeyard.reconciliation.models import ReconciliationPolicy
from chargeyard.stations.models import Connector, Evse, Station
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import owned_by
from chargeyard.transactions.models import Transaction


async def suspect_sessions(
    session: AsyncSession, silent_before: datetime, organization_id: str | None = None
) -> Sequence[OpenSession]:
    """Open sessions whose station is offline, whose connector reports Available, or whose
    station has said nothing (or whose meter has not moved while charging) since
    `silent_before`; of one organization, or of all (`None`)."""
    statement = (
        select(
            Transaction.organization_id,
            Transaction.id,
            Transaction.station_id,
            Transaction.evse_id,
            Transaction.connector_id,
            Transaction.started_at,
            Transaction.last_meter_wh,
            Transaction.last_meter_at,
            Station.connected,
            Station.disconnected_at,
            Station.last_seen_at,
            Station.heartbeat_interval,
            Connector.status,
            Connector.status_at,
            AlertWatch.since,
        )
        .join(Station, Station.id == Transaction.station_id)
        .outerjoin(
            Evse,
            and_(Evse.station_id == Transaction.station_id, Evse.evse_id == Transaction.evse_id),
        )
        .outerjoin(
            Connector,
            and_(Connector.evse_pk == Evse.id, Connector.connector_id == Transaction.connector_id),
        )
        .outerjoin(
            AlertWatch,
            and_(
                AlertWatch.transaction_id == Transaction.id,
                AlertWatch.name == RuleName.METER_STALLED.value,
            ),
        )
        .where(
            Transaction.stopped_at.is_(None),
            or_(
                Station.connected.is_(False),
                Station.last_seen_at <= silent_before,
                Connector.status == "Available",
                AlertWatch.since <= silent_before,
            ),
        )
        .order_by(Transaction.id)
    )
    if organization_id is not None:
        statement = statement.where(owned_by(Transaction, organization_id))
    rows = (await session.execute(statement)).all()
    return [OpenSession(*tuple(row)) for row in rows]


async def policy(session: AsyncSession, organization_id: str) -> ReconciliationPolicy | None:
    return await session.get(ReconciliationPolicy, organization_id)


@across_organizations(
    "the reconciliation sweep closes zombies for every organization that asked for it"
)
async def automatic(session: AsyncSession) -> Sequence[ReconciliationPolicy]:
    """The policies of organizations that close their zombies automatically."""
    statement = select(ReconciliationPolicy).where(ReconciliationPolicy.auto_close.is_(True))
    return (await session.execute(statement)).scalars().all()


def add_policy(session: AsyncSession, policy: ReconciliationPolicy) -> ReconciliationPolicy:
    """An organization's first policy (it has the default, stored nowhere, until it sets one)."""
    session.add(policy)
    return policy
