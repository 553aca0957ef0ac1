"""What services may know of the database session: a handle to pass on to repositories, and
whether a flush was refused by a unique constraint.

Services import no SQLAlchemy (an import-linter contract in pyproject.toml keeps it so): they
build no SQL and run none, they hand `uow.session` to the repositories that do. A uniqueness
race (two writers creating the same code, or a second active subscription) is a business
conflict to them, so they ask `flushed_unique` instead of catching the driver's error.
"""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["AsyncSession", "IntegrityError", "flushed_unique"]


async def flushed_unique(session: AsyncSession) -> bool:
    """Flush the pending rows; False when a constraint refused them (the session then needs a
    rollback, which the failed unit of work does)."""
    try:
        await session.flush()
    except IntegrityError:
        return False
    return True
