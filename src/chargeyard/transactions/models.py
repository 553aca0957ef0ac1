"""Transaction and meter value tables.

`Transaction.id` is Chargeyard's own id; under OCPP 1.6 it is also the `transactionId` the
station receives. `ocpp_transaction_id` holds the id the station uses on the wire (the 1.6 id as
text, or the station-issued 2.0.1 id). Meter readings are 64-bit: a Wh register passes 2^31 after
about 2 GWh, which a busy DC charger's meter reaches in its lifetime.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.amount import Amount
from chargeyard.storage.base import Base, Tracked
from chargeyard.storage.stamps import stamp


class Transaction(Tracked, Base):
    __tablename__ = "transactions"
    __table_args__ = (
        UniqueConstraint("station_id", "ocpp_transaction_id"),
        # A tag's open sessions (ConcurrentTx), asked at every start: migration 0012.
        Index(
            "ix_transactions_open_tag",
            "organization_id",
            text("lower(id_tag)"),
            sqlite_where=text("stopped_at IS NULL"),
            postgresql_where=text("stopped_at IS NULL"),
        ),
        # What a start is checked against (`TransactionRepository.open_or_started`): the EVSE's
        # open sessions and the station's sessions started at one instant (migration 0029).
        Index(
            "ix_transactions_open_evse",
            "station_id",
            "evse_id",
            sqlite_where=text("stopped_at IS NULL"),
            postgresql_where=text("stopped_at IS NULL"),
        ),
        Index("ix_transactions_station_start", "station_id", "started_at"),
        # A driver's latest stays, read once per session to learn its departure
        # (`SiteRepository.past_stays`): without it, a rare tag's lookup read the site's whole
        # history by end time (migration 0030).
        # The lowered tag leads: led by the organization, SQLite (no statistics) took it for
        # the start's lookups too, by their organization alone.
        Index("ix_transactions_tag_stays", text("lower(id_tag)"), "organization_id", "stopped_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), index=True)
    evse_id: Mapped[int]
    connector_id: Mapped[int]
    ocpp_transaction_id: Mapped[str | None] = mapped_column(String(64))
    id_tag: Mapped[str | None] = mapped_column(String(36), index=True)
    auth_status: Mapped[str] = mapped_column(String(32))
    reservation_id: Mapped[int | None] = mapped_column(BigInteger)
    started_at: Mapped[datetime] = mapped_column(index=True)
    stopped_at: Mapped[datetime | None] = mapped_column(index=True)
    meter_start_wh: Mapped[int] = mapped_column(BigInteger)
    meter_stop_wh: Mapped[int | None] = mapped_column(BigInteger)
    energy_wh: Mapped[int | None] = mapped_column(BigInteger)
    stop_reason: Mapped[str | None] = mapped_column(String(32))
    stop_id_tag: Mapped[str | None] = mapped_column(String(36))
    # Closed by an operator's force stop, before the station confirmed: its own stop, if it
    # comes, still corrects the final meter reading.
    force_stopped: Mapped[bool] = mapped_column(default=False)
    last_meter_wh: Mapped[int | None] = mapped_column(BigInteger)
    last_power_w: Mapped[float | None]
    last_soc: Mapped[float | None]
    last_meter_at: Mapped[datetime | None]
    # The tariff version that prices the session, fixed at its start, and its cost: live while
    # it runs, final once stopped (billing/service.py). No tariff: a free session, no cost.
    tariff_id: Mapped[str | None] = mapped_column(ForeignKey("tariffs.id"), index=True)
    tariff_version: Mapped[int | None]
    cost_currency: Mapped[str | None] = mapped_column(String(3))
    cost_excl_tax: Mapped[Decimal | None] = mapped_column(Amount)
    cost_incl_tax: Mapped[Decimal | None] = mapped_column(Amount)
    cost_final: Mapped[bool] = mapped_column(default=False)

    @property
    def cost(self) -> dict[str, object] | None:
        """The cost as the API shows it, or None for a session no tariff prices."""
        if self.cost_currency is None:
            return None
        return {
            "currency": self.cost_currency,
            "excl_tax": self.cost_excl_tax,
            "incl_tax": self.cost_incl_tax,
            "final": self.cost_final,
            "tariff_id": self.tariff_id,
            "tariff_version": self.tariff_version,
        }


class MeterValue(Base):
    """One sampled value, exactly as reported (value kept as text; numeric copy for queries)."""

    __tablename__ = "meter_values"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    transaction_id: Mapped[int | None] = mapped_column(ForeignKey("transactions.id"), index=True)
    evse_id: Mapped[int]
    connector_id: Mapped[int]
    timestamp: Mapped[datetime] = mapped_column(index=True)
    measurand: Mapped[str] = mapped_column(String(64))
    phase: Mapped[str | None] = mapped_column(String(8))
    unit: Mapped[str | None] = mapped_column(String(16))
    context: Mapped[str | None] = mapped_column(String(32))
    location: Mapped[str | None] = mapped_column(String(16))
    format: Mapped[str | None] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(Text)
    numeric_value: Mapped[float | None]
    received_at: Mapped[datetime] = mapped_column(default=stamp)
