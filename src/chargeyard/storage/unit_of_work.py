"""One database transaction at the edge (a REST request or an OCPP message).

Services add rows to the session and publish domain events with `publish`; listeners (the live
event stream, the webhook dispatcher) hear of them only after the commit succeeds, so no consumer
ever sees a change that was rolled back. The events themselves are rows in the same transaction.

Rows that are only ever appended and never read back by the transaction that writes them (event
rows, status history: `append`) skip the ORM's per-object flush: they are inserted at commit,
one multi-row INSERT per table (`appended.py`), and with the group commit one INSERT serves every
message of a batch.
"""

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.observability.metrics import observe_commit
from chargeyard.storage.appended import Values, insert_appended
from chargeyard.storage.write_health import WriteHealth

logger = logging.getLogger(__name__)

CommitListener = Callable[[Sequence[Any]], None]


def announce(listeners: Sequence[CommitListener], published: Sequence[Any]) -> None:
    """Tell listeners about committed event rows; a failing listener never fails the commit."""
    if not published:
        return
    for listener in listeners:
        try:
            listener(published)
        except Exception:
            logger.exception("commit listener failed")


class Outbox:
    """What a unit of work writes without reading back: published event rows and appended
    rows, inserted at commit (see the module docstring)."""

    def __init__(self) -> None:
        self._published: list[Any] = []
        self._appended: list[Any] = []

    def publish(self, event: Any, row: Any) -> None:
        """Add `row` (an event's, see `append`) to this transaction and announce `event` to the
        commit listeners once committed."""
        self._appended.append(row)
        self._published.append(event)

    def append(self, row: Any) -> None:
        """Add a row that this transaction never reads back; it is inserted at commit, in bulk
        (its database-generated columns, such as an autoincrement id, stay unset on `row`)."""
        self._appended.append(row)

    def append_values(self, model: type, rows: Sequence[dict[str, Any]]) -> None:
        """Like `append`, for rows given as column values (no ORM object is built for them)."""
        self._appended.extend(Values(model, row) for row in rows)

    def take_appended(self) -> list[Any]:
        appended, self._appended = self._appended, []
        return appended


class UnitOfWork(Outbox):
    def __init__(
        self,
        session: AsyncSession,
        listeners: Sequence[CommitListener] = (),
        health: WriteHealth | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self._listeners = listeners
        self._health = health

    async def commit(self) -> None:
        started = time.perf_counter()
        await insert_appended(self.session, self.take_appended())
        await self.session.commit()
        observe_commit("unit", time.perf_counter() - started, 1)
        if self._health is not None:
            self._health.succeeded()
        published, self._published = self._published, []
        announce(self._listeners, published)
