"""All SQL about the command audit log."""

from datetime import datetime

from chargeyard.commands.models import CommandRecord
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching, within


class CommandRepository(ScopedRepository[CommandRecord]):
    model = CommandRecord
    noun = "Command"

    async def search(
        self,
        page: Page,
        *,
        station_id: str | None = None,
        actor: str | None = None,
        command: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> PageResult[CommandRecord]:
        statement = matching(
            self.query(),
            (CommandRecord.station_id, station_id),
            (CommandRecord.actor, actor),
            (CommandRecord.command, command),
        )
        statement = within(statement, CommandRecord.requested_at, since, until)
        return await self.page(
            statement,
            page,
            order_by=[CommandRecord.requested_at.desc(), CommandRecord.id],
        )

    async def latest(
        self, station_id: str, commands: tuple[str, ...], state: str, limit: int
    ) -> list[CommandRecord]:
        """The station's latest `limit` commands of these names in `state`, oldest first."""
        statement = (
            self.query()
            .where(
                CommandRecord.station_id == station_id,
                CommandRecord.command.in_(commands),
                CommandRecord.state == state,
            )
            .order_by(CommandRecord.requested_at.desc())
            .limit(limit)
        )
        return list(reversed((await self.session.scalars(statement)).all()))

    async def remote_start_tag(self, station_id: str, remote_start_id: int) -> str | None:
        """The id tag a 2.x RequestStartTransaction sent to `station_id` with this
        `remoteStartId` carried (among the station's latest remote starts), or None."""
        statement = (
            self.query()
            .where(
                CommandRecord.station_id == station_id,
                CommandRecord.ocpp_action == "RequestStartTransaction",
            )
            .order_by(CommandRecord.requested_at.desc())
            .limit(REMOTE_STARTS_SEARCHED)
        )
        for record in (await self.session.scalars(statement)).all():
            sent = record.ocpp_request or {}
            if sent.get("remoteStartId") == remote_start_id:
                token = sent.get("idToken") or {}
                value = token.get("idToken")
                return str(value) if value else None
        return None


REMOTE_STARTS_SEARCHED = 50
"""A station answers a remote start within seconds; its last 50 are more than enough."""
