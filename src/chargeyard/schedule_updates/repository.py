"""All SQL of schedule updates: the charging profile commands a station accepted, read from
the command audit log (every SetChargingProfile and ClearChargingProfile sent as a command),
and the profiles smart charging holds in force there (delivery's memory)."""

from collections.abc import Sequence

from sqlalchemy import select

from chargeyard.commands.models import CommandRecord
from chargeyard.load_management.models import ProfileInForceRow
from chargeyard.storage.repository import ScopedRepository, owned_by

PROFILE_ACTIONS = ("SetChargingProfile", "ClearChargingProfile")
ACCEPTED = "Accepted"
HISTORY_LIMIT = 500
"""Most recent accepted profile commands read per pull; older ones were long replaced."""


class ProfileHistoryRepository(ScopedRepository[CommandRecord]):
    """The command log's profile commands (the scoped base's rows) and smart charging's
    profiles in force (read through `owned_by`)."""

    model = CommandRecord
    noun = "command"

    async def accepted(self, station_id: str) -> Sequence[CommandRecord]:
        """Newest first."""
        statement = (
            self.query()
            .where(
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
            owned_by(ProfileInForceRow, self.organization_id),
            ProfileInForceRow.station_id == station_id,
            ProfileInForceRow.profile_id == profile_id,
            ProfileInForceRow.fingerprint.is_not(None),
        )
        return (await self.session.scalars(statement)).first()
