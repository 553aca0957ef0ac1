"""All SQL about leases. Each statement is one atomic conditional write, the same on SQLite and
PostgreSQL (`INSERT ... ON CONFLICT DO UPDATE ... WHERE`): a worker gets a lease only if nobody
holds it, it already holds it, or the holder let it expire; two workers asking at once cannot
both win, because the conflicting row is locked (PostgreSQL) or the writer is single (SQLite).
"""

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.cluster.models import LeaseRow


async def acquire(
    session: AsyncSession, name: str, holder: str, now: datetime, expires_at: datetime
) -> bool:
    """Take (or extend) `name` for `holder` until `expires_at`; False when another live worker
    holds it."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(LeaseRow)
        .values(name=name, holder=holder, expires_at=expires_at)
        .on_conflict_do_update(
            index_elements=[LeaseRow.name],
            set_={"holder": holder, "expires_at": expires_at},
            where=or_(LeaseRow.holder == holder, LeaseRow.expires_at < now),
        )
        .returning(LeaseRow.holder)
    )
    return (await session.execute(statement)).first() is not None


async def renew(
    session: AsyncSession, names: Collection[str], holder: str, expires_at: datetime
) -> set[str]:
    """Extend the leases of `names` that `holder` still holds; answers those (the others were
    taken over after they expired)."""
    if not names:
        return set()
    statement = (
        update(LeaseRow)
        .where(LeaseRow.name.in_(list(names)), LeaseRow.holder == holder)
        .values(expires_at=expires_at)
        .returning(LeaseRow.name)
    )
    return set((await session.execute(statement)).scalars())


async def release(session: AsyncSession, names: Collection[str], holder: str) -> None:
    """Give leases up at once, so another worker need not wait for them to expire."""
    if names:
        await session.execute(
            delete(LeaseRow).where(LeaseRow.name.in_(list(names)), LeaseRow.holder == holder)
        )


async def expire(session: AsyncSession, name: str, now: datetime) -> None:
    """Make a lease read as expired (operators and tests: as if its holder had died)."""
    await session.execute(update(LeaseRow).where(LeaseRow.name == name).values(expires_at=now))
