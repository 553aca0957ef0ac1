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
