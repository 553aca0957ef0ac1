"""All SQL about the command audit log."""

from datetime import datetime

from chargeyard.commands.models import CommandRecord
from chargeyard.storage.repository import Page, PageResult, ScopedRepository


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
        statement = self.query()
        if station_id is not None:
            statement = statement.where(CommandRecord.station_id == station_id)
        if actor is not None:
            statement = statement.where(CommandRecord.actor == actor)
        if command is not None:
            statement = statement.where(CommandRecord.command == command)
        if since is not None:
            statement = statement.where(CommandRecord.requested_at >= since)
        if until is not None:
            statement = statement.where(CommandRecord.requested_at < until)
        return await self.page(
            statement,
            page,
            order_by=[CommandRecord.requested_at.desc(), CommandRecord.id],
        )
