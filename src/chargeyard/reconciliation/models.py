"""The reconciliation policy table: whether an organization closes overdue zombie sessions
automatically, and with which stop reason. An organization without a row closes none by itself."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, Tracked


class ReconciliationPolicy(Tracked, Base):
    __tablename__ = "reconciliation_policies"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    auto_close: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(String(32), default="Reconciled")
