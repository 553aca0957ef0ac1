"""The write probe behind readiness: one small row per node, rewritten on demand.

`SELECT 1` answers on a full disk or a database turned read-only; only a write that reaches the
database shows whether writes work. Readiness runs this probe when the latest real write failed,
so a recovered database reads as ready again even when nothing else has written since.
"""

from datetime import datetime

from sqlalchemy import String, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, UtcDateTime
from chargeyard.storage.database import Database


class HealthProbe(Base):
    __tablename__ = "health_probe"

    node_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    probed_at: Mapped[datetime] = mapped_column(UtcDateTime)


async def probe_reads(db: Database) -> None:
    """`SELECT 1` on the reading engine: the database answers (raises what it raises)."""
    async with db.reading() as uow:
        await uow.session.execute(text("SELECT 1"))


async def probe_writes(db: Database, node_id: str, now: datetime) -> None:
    """Upsert this node's probe row and commit; raises what the database raises."""
    insert = sqlite_insert if db.is_sqlite else postgresql_insert
    statement = insert(HealthProbe).values(node_id=node_id, probed_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[HealthProbe.node_id], set_={"probed_at": now}
    )
    async with db.writing() as uow:
        await uow.session.execute(statement)
        await uow.commit()
