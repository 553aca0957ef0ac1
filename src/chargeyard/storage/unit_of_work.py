"""One database transaction at the edge (a REST request or an OCPP message).

Services add rows to the session and publish domain events with `publish`; listeners (the live
event stream, the webhook dispatcher) hear of them only after the commit succeeds, so no consumer
ever sees a change that was rolled back. The events themselves are rows in the same transaction.
"""

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.observability.metrics import observe_commit
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


class UnitOfWork:
    def __init__(
        self,
        session: AsyncSession,
        listeners: Sequence[CommitListener] = (),
        health: WriteHealth | None = None,
    ) -> None:
        self.session = session
        self._listeners = listeners
        self._health = health
        self._published: list[Any] = []

    def publish(self, row: Any) -> None:
        """Add an event row to this transaction and announce it once committed."""
        self.session.add(row)
        self._published.append(row)

    async def commit(self) -> None:
        started = time.perf_counter()
        await self.session.commit()
        observe_commit("unit", time.perf_counter() - started, 1)
        if self._health is not None:
            self._health.succeeded()
        published, self._published = self._published, []
        announce(self._listeners, published)
