"""Buffers message-log rows and `last_seen` times and writes them in one transaction per tick.

Logging every frame with its own commit would double the database work of the hot path; the log
is diagnostic, so it is written a fraction of a second later, in batches. (Anything a station is
*promised* — transactions, meter values, statuses — is committed before its answer instead.)
A batch whose write fails is kept and retried on the next flush (up to `MAX_RETAINED_FRAMES`).
A flush is two statements (one executemany each for the frames and the `last_seen` times) and
rides on the OCPP messages' group commit (`Database.batched`) rather than a commit of its own.
"""

import asyncio
import logging
from datetime import datetime
from typing import Any

from chargeyard.clock import Clock
from chargeyard.message_log.masking import SECRET_ACTIONS, mask_secrets
from chargeyard.message_log.repository import append_frames
from chargeyard.observability.metrics import MESSAGE_LOG_DROPPED_FRAMES
from chargeyard.stations.repository import record_last_seen
from chargeyard.storage.database import Database
from chargeyard.tracked_tasks import cancel_and_wait

logger = logging.getLogger(__name__)

# Frames kept for a retry while the database refuses writes: bounded memory (a few tens of MB at
# most) for an outage of a few minutes under load; older ones are dropped and counted.
MAX_RETAINED_FRAMES = 50_000


class MessageLogWriter:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        interval_s: float,
        max_retained: int = MAX_RETAINED_FRAMES,
    ) -> None:
        self.max_retained = max_retained
        self._db = db
        self._clock = clock
        self._interval_s = interval_s
        self._rows: list[dict[str, Any]] = []
        self._seen: dict[str, datetime] = {}
        self._task: asyncio.Task[None] | None = None

    def frame(
        self,
        *,
        station_id: str,
        organization_id: str | None,
        direction: str,
        frame: str,
        message_type: int | None,
        unique_id: str | None,
        action: str | None,
    ) -> None:
        now = self._clock()
        if action in SECRET_ACTIONS:
            frame = mask_secrets(frame)
        self._rows.append(
            {
                "station_id": station_id,
                "organization_id": organization_id,
                "direction": direction,
                "frame": frame,
                "message_type": message_type,
                "unique_id": unique_id,
                "action": action,
                "logged_at": now,
            }
        )
        if direction == "in":
            self._seen[station_id] = now

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="message-log-writer")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        try:
            await self.flush()
        except Exception:
            logger.exception(
                "message log: %d frames could not be written at shutdown", self.pending
            )

    async def flush(self) -> None:
        """Write what is buffered. If the write fails, the batch goes back in front of the frames
        that arrived meanwhile and the next flush tries again (then the error is raised)."""
        rows, self._rows = self._rows, []
        seen, self._seen = self._seen, {}
        if not rows and not seen:
            return
        try:
            async with self._db.batched() as uow:
                if rows:
                    await append_frames(uow.session, rows)
                await record_last_seen(uow.session, seen)
                await uow.commit()
        except BaseException:
            self._retain(rows, seen)
            raise

    def _retain(self, rows: list[dict[str, Any]], seen: dict[str, datetime]) -> None:
        """Put a failed batch back, keeping at most `max_retained` frames (the oldest go)."""
        self._rows = rows + self._rows
        self._seen = seen | self._seen  # a time seen since the failed batch is newer
        excess = len(self._rows) - self.max_retained
        if excess > 0:
            del self._rows[:excess]
            MESSAGE_LOG_DROPPED_FRAMES.inc(excess)
            logger.warning(
                "message log: the database refuses writes; dropped the %d oldest frames "
                "(keeping %d)",
                excess,
                self.max_retained,
                extra={"dropped_frames": excess},
            )

    @property
    def pending(self) -> int:
        """Frames waiting to be written."""
        return len(self._rows)

    async def _run(self) -> None:
        failing = False
        while True:
            await asyncio.sleep(self._interval_s)
            try:
                await self.flush()
            except Exception:
                if not failing:  # once per outage, not once per tick
                    logger.exception("message log flush failed; retrying every tick")
                failing = True
            else:
                if failing:
                    logger.info("message log flush works again", extra={"pending": self.pending})
                failing = False
