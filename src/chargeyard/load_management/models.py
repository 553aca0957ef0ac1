"""Tables of what smart charging's control loop did and remembers: allocations, profiles
delivered, units stations accept, profiles in force, admissions and rotation turns. Its inputs'
tables live in their own packages (`circuits/models.py`, `vehicles/models.py`, ...).

The optimizer never sees these rows: `site_reader` turns the inputs into `smart_charging`
snapshots.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.stations.models import BigId
from chargeyard.storage.base import Base
from chargeyard.storage.stamps import stamp


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
