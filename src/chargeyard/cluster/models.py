"""The `leases` table: which worker runs each job that must run once in the cluster.

One row per job name (`reservations.expiry`, `webhooks.fan_out`, `smart_charging:<org>`, ...),
held by one worker (`holder`: its worker id, `cluster/node.py: worker_id_for`) until `expires_at`. A row is never deleted
while its job exists; a dead holder's row simply expires and the next worker to ask takes it.
"""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base


class LeaseRow(Base):
    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime]
