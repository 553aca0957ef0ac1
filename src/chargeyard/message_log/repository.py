"""All SQL about the message log. Frames from stations no organization owns are never listed."""

from datetime import datetime

from chargeyard.message_log.models import LoggedMessage
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching, within


class MessageLogRepository(ScopedRepository[LoggedMessage]):
    model = LoggedMessage
    noun = "Logged message"

    async def search(
        self,
        page: Page,
        *,
        station_id: str | None = None,
        direction: str | None = None,
        action: str | None = None,
        unique_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> PageResult[LoggedMessage]:
        """Newest first; `since` is inclusive and `until` exclusive."""
        statement = matching(
            self.query(),
            (LoggedMessage.station_id, station_id),
            (LoggedMessage.direction, direction),
            (LoggedMessage.action, action),
            (LoggedMessage.unique_id, unique_id),
        )
        statement = within(statement, LoggedMessage.logged_at, since, until)
        return await self.page(
            statement, page, order_by=[LoggedMessage.logged_at.desc(), LoggedMessage.id.desc()]
        )
