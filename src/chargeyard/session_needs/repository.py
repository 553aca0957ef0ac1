"""All SQL of session needs, scoped to one organization."""

from chargeyard.session_needs.models import SessionNeedRow
from chargeyard.storage.repository import ScopedRepository


class SessionNeedRepository(ScopedRepository[SessionNeedRow]):
    model = SessionNeedRow
    noun = "Session needs"

    async def of(self, transaction_id: int) -> SessionNeedRow | None:
        return await self.session.scalar(
            self.query().where(SessionNeedRow.transaction_id == transaction_id)
        )
