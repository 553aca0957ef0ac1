"""All SQL of schedule updates: the charging profile commands a station accepted, read from
the command audit log (every SetChargingProfile and ClearChargingProfile sent as a command),
and the profiles smart charging holds in force there (delivery's memory)."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.commands.models import CommandRecord
from chargeyard.load_management.models import ProfileInForceRow

PROFILE_ACTIONS = ("SetChargingProfile", "ClearChargingProfile")
ACCEPTED = "Accepted"
HISTORY_LIMIT = 500
"""Most recent accepted profile commands read per pull; older ones were long replaced."""


class ProfileHistoryRepository:
    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id

    async def accepted(self, station_id: str) -> Sequence[CommandRecord]:
        """Newest first."""
        statement = (
            select(CommandRecord)
            .where(
                CommandRecord.organization_id == self.organization_id,
                CommandRecord.station_id == station_id,
                CommandRecord.ocpp_action.in_(PROFILE_ACTIONS),
                CommandRecord.status == ACCEPTED,
                CommandRecord.finished_at.is_not(None),
            )
            .order_by(CommandRecord.finished_at.desc(), CommandRecord.id)
            .limit(HISTORY_LIMIT)
        )
        return (await self.session.execute(statement)).scalars().all()

    async def smart_charging(self, station_id: str, profile_id: int) -> ProfileInForceRow | None:
        """The smart-charging profile with that id in force at the station, if any."""
        statement = select(ProfileInForceRow).where(
            ProfileInForceRow.organization_id == self.organization_id,
            ProfileInForceRow.station_id == station_id,
            ProfileInForceRow.profile_id == profile_id,
            ProfileInForceRow.fingerprint.is_not(None),
        )
        return (await self.session.scalars(statement)).first()
