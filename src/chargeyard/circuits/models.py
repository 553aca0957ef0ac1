"""The circuits table: the nodes of an organization's electrical tree."""

from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, Tracked, uuid_pk


class CircuitRow(Tracked, Base):
    """A node of the electrical tree: the site connection (no parent) or a sub-circuit."""

    __tablename__ = "circuits"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("circuits.id"), index=True)
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("locations.id", ondelete="SET NULL"), index=True
    )
    """The site the circuit belongs to (its sub-circuits with none belong there too): what lets
    a site-scoped user see it, and hang stations on it, before any station hangs there
    (`site_scopes/domain.py: circuits_within`). Deleting the location leaves it unplaced."""
    name: Mapped[str] = mapped_column(String(200))
    max_power_kw: Mapped[float | None]
    max_current_a: Mapped[float | None]
    phases: Mapped[int] = mapped_column(default=3)
    buffer_kw: Mapped[float] = mapped_column(default=0.0)
    buffer_a: Mapped[float] = mapped_column(default=0.0)
    objective: Mapped[str] = mapped_column(String(16), default="load_sharing")
    price_cap_above: Mapped[Decimal | None] = mapped_column(Numeric(12, 6))
    price_cap_share: Mapped[float | None]
    rotation_slice_s: Mapped[float | None]
    """How long a paused session's turn lasts (`smart_charging/rotation.py`); None: the
    nearest circuit above that sets one, else 300 s."""
