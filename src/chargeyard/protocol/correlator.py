"""Outbound CALLs and their answers: one outstanding CALL per direction, matched by message id.

OCPP-J allows a CSMS one CALL in flight to a station at a time, so callers queue on a lock; the
answer (CALLRESULT or CALLERROR) is matched to its CALL by message id, and an answer nobody waits
for (late, after a timeout, or with an unknown id) is dropped with a log line.
"""

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable

from chargeyard.protocol.frames import CallError, CallResult

logger = logging.getLogger(__name__)

Answer = CallResult | CallError


class Correlator:
    def __init__(self, station_id: str) -> None:
        self.station_id = station_id
        self.lock = asyncio.Lock()
        self._ids = itertools.count(1)
        self._waiting: dict[str, asyncio.Future[Answer]] = {}

    def next_id(self) -> str:
        return str(next(self._ids))

    async def exchange(
        self, unique_id: str, send: Callable[[], Awaitable[None]], timeout_s: float
    ) -> Answer:
        """Send with `send()` and wait for the answer to `unique_id` (TimeoutError after
        `timeout_s`). Callers hold `lock`."""
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._waiting[unique_id] = future
        try:
            await send()
            # Not `wait_for`, which on Python 3.11 loses a cancel that lands with the answer.
            async with asyncio.timeout(timeout_s):
                return await future
        finally:
            self._waiting.pop(unique_id, None)

    def resolve(self, answer: Answer) -> None:
        future = self._waiting.get(answer.unique_id)
        if future is None or future.done():
            logger.warning(
                "%s: dropped an answer nobody waits for (id %r)", self.station_id, answer.unique_id
            )
            return
        future.set_result(answer)

    def fail_all(self, error: BaseException) -> None:
        """The socket closed: every waiting caller hears it now, not at its timeout."""
        for future in self._waiting.values():
            if not future.done():
                future.set_exception(error)
        self._waiting.clear()
