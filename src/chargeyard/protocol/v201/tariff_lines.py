"""The tariff line a 2.x station shows its driver (OCPP 2.0.1 use case I01): the personal
message of the IdTokenInfo that answers an Authorize or a Started or Updated TransactionEvent
carrying the token, and the `updatedPersonalMessage` of the answer to a Started event (an Ended
one is answered with the final cost instead).

Only for an accepted token, and only where a tariff applies (`costing/price_display.py` words
it). At Authorize it is the tariff the tag would be priced by if it started now (its tariff
group's where one applies); in a TransactionEvent, the version fixed on the session. Each costs
one read outside the message's own unit of work; a session the connection holds in memory is
never priced (`transactions/held.py`), so its events read nothing more.
"""

from chargeyard.costing.price_display import text_for_session, text_for_start
from chargeyard.id_tags.domain import Authorization, AuthorizationStatus
from chargeyard.protocol.v201.base import V2Session
from chargeyard.transaction_events.service import EventOutcome
from chargeyard.transactions.domain import TransactionEventType
from chargeyard.transactions.held import HeldTransaction
from chargeyard.transactions.models import Transaction


class TariffLines(V2Session):
    async def _tariff_line(self, id_tag: str | None, authorization: Authorization) -> str | None:
        if id_tag is None or authorization.status is not AuthorizationStatus.ACCEPTED:
            return None
        async with self.ctx.db.reading() as uow:
            return await text_for_start(
                uow, self.identity.organization_id, self.ctx.clock, self.identity.station_id, id_tag
            )

    async def _event_lines(
        self, event_type: TransactionEventType, outcome: EventOutcome
    ) -> tuple[str | None, str | None]:
        """(the IdTokenInfo's personal message, the response's `updatedPersonalMessage`) for a
        TransactionEvent: the session's own tariff line, for an accepted token the event carries
        and, at a Started event, as the updated message (the tariff the session was actually
        fixed to, which a station that started without asking, offline or from its cache, has
        not been shown). Nothing at Ended (its answer has the final cost), or for a free session.
        """
        authorization = outcome.authorization
        accepted = (
            authorization is not None and authorization.status is AuthorizationStatus.ACCEPTED
        )
        started = event_type is TransactionEventType.STARTED
        if not (accepted or started) or event_type is TransactionEventType.ENDED:
            return None, None
        line = await self._session_tariff_line(outcome.transaction)
        return (line if accepted else None), (line if started else None)

    async def _session_tariff_line(self, tx: Transaction | HeldTransaction) -> str | None:
        if isinstance(tx, HeldTransaction) or tx.tariff_id is None or tx.tariff_version is None:
            return None
        async with self.ctx.db.reading() as uow:
            return await text_for_session(
                uow,
                self.identity.organization_id,
                self.ctx.clock,
                tx.station_id,
                (tx.tariff_id, tx.tariff_version),
                tx.started_at,
            )
