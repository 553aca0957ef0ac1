"""Whether this process can write to its database: the last write that failed, the last that
succeeded.

A full disk, a database file turned read-only or a lost PostgreSQL connection make every write
fail while reads (and a plain `SELECT 1`) still work, so a health check must look at writes. The
commit paths record each outcome here; readiness (`api/health.py`) is false while the latest
outcome is a failure, and a small write probe (`health_probe` table) can show a recovery when no
other write has happened since.
"""

import time

from sqlalchemy.exc import DBAPIError

from chargeyard.observability.metrics import DB_WRITE_FAILURES


def is_write_failure(error: BaseException) -> bool:
    """Any error the database raised while writing. A constraint violation counts too (it cannot
    be told from a failing trigger or storage here); readiness confirms a failure with the write
    probe before reporting it, and the next successful write clears it."""
    return isinstance(error, DBAPIError)


class WriteHealth:
    def __init__(self) -> None:
        self.last_success: float | None = None
        self.last_failure: float | None = None
        self.last_error: str | None = None

    def succeeded(self) -> None:
        self.last_success = time.monotonic()

    def failed(self, error: BaseException) -> None:
        self.last_failure = time.monotonic()
        self.last_error = f"{type(error).__name__}: {error}"[:300]
        DB_WRITE_FAILURES.inc()

    @property
    def failing(self) -> bool:
        """True while the latest write outcome is a failure."""
        if self.last_failure is None:
            return False
        return self.last_success is None or self.last_failure >= self.last_success
