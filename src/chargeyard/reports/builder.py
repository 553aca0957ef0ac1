"""`ReportBuilder`: builds queued asynchronous reports into stored files, once in the cluster.

Only the worker holding the `reports` lease builds (`cluster/leases.py`), one report at a time,
oldest first, checking between pages that it still holds the lease. Each build is an attempt:
the request is marked `running` (its attempt counted) in a transaction of its own, built to a
temporary file page by page (constant memory, `service.py`), then stored with the request marked
`ready` in one more transaction, only if the request is still that attempt's.

Nothing is ever left `running`: a worker that takes the lease (at start, or from a worker that
died or lost it) first hands every `running` request back to the queue, since nobody builds it
any more, or fails it once it has used up its attempts (`domain.after_interruption`). The loop,
its wake-up and the log of a failed round are `cluster/periodic.py: PeriodicJob`'s.
"""

import asyncio
import logging
import os
import tempfile
from pathlib import Path

from chargeyard.clock import Clock
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.cluster.periodic import PeriodicJob
from chargeyard.files.domain import FileKind
from chargeyard.files.service import FileService, Upload
from chargeyard.reports import repository
from chargeyard.reports.domain import ReportFormat, ReportKind, ReportStatus, after_interruption
from chargeyard.reports.kinds import filters_of, report_of
from chargeyard.reports.requests import record_outcome
from chargeyard.reports.service import Interrupted, write_csv, write_xlsx
from chargeyard.storage.database import Database

logger = logging.getLogger(__name__)

LEASE = "reports"
ERROR_MAX = 500


class ReportBuilder(PeriodicJob):
    """Its `wakeup` is fired by a request on this node, to build it now rather than at the next
    poll."""

    name = LEASE
    failure = "report builder round failed"

    def __init__(self, db: Database, clock: Clock, leases: LeaseKeeper, poll_s: float) -> None:
        super().__init__(leases, poll_s)
        self._leases = leases
        self._db = db
        self._clock = clock
        self._recovered = False

    async def round(self) -> int:
        """Build what is queued while this worker holds the lease; how many were finished. A
        worker refused the lease recovers again when it takes it (the holder it follows may have
        left builds running)."""
        if not await self._leases.acquire(LEASE):
            self._recovered = False
            return 0
        return await self.run_once()

    async def run_once(self) -> int:
        if not self._recovered:
            await self.recover()
            self._recovered = True
        finished = 0
        while self._leases.holds(LEASE) and await self.build_next():
            finished += 1
        return finished

    async def recover(self) -> int:
        """Requeue (or fail) every request left running: on taking the lease, nobody builds it."""
        now = self._clock()
        async with self._db.writing() as uow:
            found = await repository.running(uow.session)
            for row in found:
                row.status = after_interruption(row.attempts)
                if row.status == ReportStatus.FAILED:
                    row.error = f"interrupted {row.attempts} times (restarts or lost leases)"
                    row.finished_at = now
                    record_outcome(uow, row, now)
                else:
                    row.started_at = None
            await uow.commit()
        if found:
            logger.info("requeued or failed %d interrupted reports", len(found))
        return len(found)

    async def build_next(self) -> bool:
        """Build the oldest queued report; False when there was none (or the lease was lost)."""
        async with self._db.writing() as uow:
            row = await repository.next_queued(uow.session)
            if row is None:
                return False
            row.status = ReportStatus.RUNNING
            row.attempts += 1
            row.started_at = self._clock()
            request_id, attempt = row.id, row.attempts
            organization_id, actor = row.organization_id, row.requested_by or "system"
            kind, format, filters = ReportKind(row.kind), ReportFormat(row.format), row.filters
            await uow.commit()

        handle, name = tempfile.mkstemp(prefix="chargeyard-report-", suffix=f".{format}")
        os.close(handle)
        path = Path(name)
        try:
            report = report_of(kind, organization_id, filters_of(kind, filters), self._clock)
            write = write_xlsx if format is ReportFormat.XLSX else write_csv
            rows = await write(self._db, report, path, going_on=lambda: self._leases.holds(LEASE))
            content = await asyncio.to_thread(path.read_bytes)
        except Interrupted:
            logger.info("report %s interrupted: this worker lost the reports lease", request_id)
            self._recovered = False  # whoever holds the lease next (maybe this worker) requeues it
            return False
        except Exception as error:
            logger.exception("report %s failed", request_id)
            await self._finish(request_id, attempt, error=str(error) or type(error).__name__)
            return True
        finally:
            await asyncio.to_thread(path.unlink, missing_ok=True)
        upload = Upload(content, f"{kind}-{request_id}.{format}", format.media_type)
        try:
            await self._finish(request_id, attempt, upload=upload, rows=rows, actor=actor)
        except Exception as error:  # the file could not be stored: fail it, never leave it running
            logger.exception("report %s could not be stored", request_id)
            await self._finish(request_id, attempt, error=f"not stored: {error}")
        return True

    async def _finish(
        self,
        request_id: str,
        attempt: int,
        *,
        upload: Upload | None = None,
        rows: int | None = None,
        actor: str = "system",
        error: str | None = None,
    ) -> None:
        now = self._clock()
        async with self._db.writing() as uow:
            row = await repository.still_running(uow.session, request_id, attempt)
            if row is None:
                return  # taken over since (requeued by a new lease holder): its build wins
            if upload is not None:
                stored = await FileService(uow, row.organization_id, self._clock).store(
                    FileKind.REPORT, upload, actor
                )
                row.file_id, row.rows, row.status = stored.id, rows, ReportStatus.READY
            else:
                row.status, row.error = ReportStatus.FAILED, (error or "")[:ERROR_MAX]
            row.finished_at = now
            record_outcome(uow, row, now)
            await uow.commit()
