"""Tables of smart charging's inputs (circuits, EVSE wiring, vehicles, prices, demand response,
measurements) and of what it did (allocations, profiles delivered, units stations accept).

The optimizer never sees these rows: `site_reader` turns them into `smart_charging` snapshots.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base, Tracked, uuid_pk
from chargeyard.storage.stamps import stamp


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


class CapacityWindowRow(Base):
    """A time-varying limit on a circuit (min of the static limit and this applies)."""

    __tablename__ = "circuit_capacity_windows"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    circuit_id: Mapped[str] = mapped_column(ForeignKey("circuits.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    max_power_kw: Mapped[float | None]
    max_current_a: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=stamp)


class EvseWiringRow(Base):
    """How an EVSE is fed (evse_id 0: the default for every EVSE of the station) and in which
    unit its station takes charging profiles."""

    __tablename__ = "evse_wiring"
    __table_args__ = (UniqueConstraint("station_id", "evse_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    evse_id: Mapped[int]
    supply: Mapped[str] = mapped_column(String(24))
    voltage_v: Mapped[float]
    power_factor: Mapped[float] = mapped_column(default=1.0)
    lines: Mapped[str] = mapped_column(String(12), default="L1,L2,L3")
    max_power_kw: Mapped[float]
    min_power_kw: Mapped[float | None]
    power_step_kw: Mapped[float] = mapped_column(default=0.0)
    bidirectional: Mapped[bool] = mapped_column(default=False)
    rate_unit: Mapped[str | None] = mapped_column(String(1))
    priority: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=stamp, onupdate=stamp)


class VehicleRow(Tracked, Base):
    __tablename__ = "vehicles"
    __table_args__ = (UniqueConstraint("organization_id", "vin"),)

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    vin: Mapped[str | None] = mapped_column(String(17))
    """ISO 3779 vehicle identification number, upper case; unique within the organization."""
    make: Mapped[str | None] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(100))
    license_plate: Mapped[str | None] = mapped_column(String(20))
    group_id: Mapped[str | None] = mapped_column(ForeignKey("vehicle_groups.id"), index=True)
    """A group with vehicles in it cannot be deleted (`vehicle_groups/service.py`)."""
    id_tag: Mapped[str | None] = mapped_column(String(36), index=True)
    battery_kwh: Mapped[float]
    soc_percent: Mapped[float | None]
    target_soc_percent: Mapped[float] = mapped_column(default=100.0)
    departure_time: Mapped[str | None] = mapped_column(String(5))
    """Usual departure, "HH:MM" UTC: the next one after a session starts is its deadline."""
    max_power_kw: Mapped[float | None]
    priority: Mapped[int | None]


class SessionNeedRow(Base):
    """What an operator set on one session (overrides the vehicle's and the EV's own data)."""

    __tablename__ = "session_needs"

    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("transactions.id", ondelete="CASCADE"), primary_key=True
    )
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    vehicle_id: Mapped[str | None] = mapped_column(ForeignKey("vehicles.id", ondelete="SET NULL"))
    battery_kwh: Mapped[float | None]
    soc_percent: Mapped[float | None]
    target_soc_percent: Mapped[float | None]
    energy_kwh: Mapped[float | None]
    departure_at: Mapped[datetime | None]
    max_power_kw: Mapped[float | None]
    priority: Mapped[int | None]
    updated_at: Mapped[datetime] = mapped_column(default=stamp, onupdate=stamp)


class PriceRow(Base):
    """An energy price for an interval (time of use); circuit_id None: the whole organization."""

    __tablename__ = "energy_prices"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    circuit_id: Mapped[str | None] = mapped_column(ForeignKey("circuits.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    price_per_kwh: Mapped[Decimal] = mapped_column(Numeric(12, 6))


class DemandResponseRow(Base):
    """A curtailment (cap the circuit) or a V2G window (bidirectional EVSEs may discharge)."""

    __tablename__ = "demand_response_events"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    circuit_id: Mapped[str] = mapped_column(ForeignKey("circuits.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    max_power_kw: Mapped[float | None]
    created_at: Mapped[datetime] = mapped_column(default=stamp)


class MeasurementRow(Base):
    """Building baseload or solar production at a circuit, measured or forecast."""

    __tablename__ = "site_measurements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    circuit_id: Mapped[str] = mapped_column(ForeignKey("circuits.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    measured_at: Mapped[datetime] = mapped_column(index=True)
    power_kw: Mapped[float]
    forecast: Mapped[bool] = mapped_column(default=False)


class AllocationRow(Base):
    """One control step's result for one session (stored when the result changed)."""

    __tablename__ = "smart_charging_allocations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    circuit_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    evse_id: Mapped[int]
    transaction_id: Mapped[int | None] = mapped_column(index=True)
    at: Mapped[datetime] = mapped_column(index=True)
    power_kw: Mapped[float]
    objective: Mapped[str] = mapped_column(String(16))
    schedule: Mapped[list[Any] | None] = mapped_column(JSON)


class ProfileDeliveryRow(Base):
    """A charging profile smart charging sent, and how the station took it."""

    __tablename__ = "smart_charging_profiles"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    circuit_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    evse_id: Mapped[int]
    transaction_id: Mapped[int | None] = mapped_column(index=True)
    purpose: Mapped[str] = mapped_column(String(24))
    unit: Mapped[str] = mapped_column(String(1))
    limit_kw: Mapped[float]
    limits: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime] = mapped_column(index=True)


class UnitPreferenceRow(Base):
    """The rate unit a vendor/model/firmware accepted, learnt from rejections."""

    __tablename__ = "profile_unit_preferences"
    __table_args__ = (UniqueConstraint("organization_id", "vendor", "model", "firmware"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    vendor: Mapped[str] = mapped_column(String(50))
    model: Mapped[str] = mapped_column(String(50))
    firmware: Mapped[str] = mapped_column(String(50))
    unit: Mapped[str] = mapped_column(String(1))
    learnt_at: Mapped[datetime] = mapped_column(default=stamp)


class ProfileInForceRow(Base):
    """What smart charging knows is in force at one place of a station (delivery's memory), so
    a restart does not resend what stations already hold, and a station pulling a schedule
    update (2.1 PullDynamicScheduleUpdate) is answered for smart charging's profiles too.

    `profile` is the accepted profile as sent (`in_force.profile_json`), `fingerprint` the
    target it put in force; `refused` the fingerprint of a target no unit got accepted (not
    resent until it changes). A row with neither is deleted.
    """

    __tablename__ = "smart_charging_in_force"
    __table_args__ = (UniqueConstraint("organization_id", "station_id", "evse_id", "purpose"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    evse_id: Mapped[int]
    purpose: Mapped[str] = mapped_column(String(24))
    profile_id: Mapped[int | None] = mapped_column(index=True)
    transaction_id: Mapped[int | None]
    fingerprint: Mapped[str | None] = mapped_column(Text)
    first_kw: Mapped[float | None]
    since: Mapped[datetime | None]
    profile: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    refused: Mapped[str | None] = mapped_column(Text)


class AdmissionRow(Base):
    """A station on a managed circuit that booted and waits (BootNotification `Pending`) until
    smart charging has put its limits in place and made room for it (`load_management/
    admission.py`). `admitted_at` is set once it may be accepted; the next fresh boot starts a
    new wait in the same row."""

    __tablename__ = "smart_charging_admissions"
    __table_args__ = (UniqueConstraint("organization_id", "station_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    pending_since: Mapped[datetime]
    admitted_at: Mapped[datetime | None]


class TurnRow(Base):
    """A session's place in its circuit's rotation (`smart_charging.rotation.Turn`): kept so a
    restarted or new controller goes on with the same turns (nobody's wait starts over)."""

    __tablename__ = "smart_charging_turns"
    __table_args__ = (UniqueConstraint("organization_id", "transaction_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    transaction_id: Mapped[int] = mapped_column(BigId)
    waiting_since: Mapped[datetime | None]
    turn_ends: Mapped[datetime | None]
