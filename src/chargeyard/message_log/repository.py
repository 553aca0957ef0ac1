"""All SQL about the message log. Frames from stations no organization owns are never listed."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.message_log.models import LoggedMessage
from chargeyard.storage.appended import Values, insert_appended
from chargeyard.storage.cross_organization import across_organizations
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


@across_organizations(
    "the message log writer inserts every organization's frames in one batch; each row names"
    " its organization"
)
async def append_frames(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert a batch of frames (the writer's; each row names its organization, and every row
    has every key, None included): one executemany, straight to the SQLite connection where the
    session's statements may go to it (`storage/appended.py`), Core elsewhere. Two frames per
    CALL: the ORM's bulk insert (its per-row bookkeeping and type processing) took about 6 % of
    the event loop's samples in a profile at saturation."""
    await insert_appended(session, [Values(LoggedMessage, row) for row in rows])
