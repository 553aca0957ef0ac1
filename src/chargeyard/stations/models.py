"""Station → EVSE → connector, shaped like OCPP 2.0.1; OCPP 1.6 maps into it.

A 1.6 `connectorId n` is EVSE n with connector 1, and `connectorId 0` is the station itself
(its status lives on the station row).
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from chargeyard.storage.base import Base, Tracked
from chargeyard.storage.stamps import stamp

BigId = BigInteger().with_variant(Integer, "sqlite")


class Station(Tracked, Base):
    """`updated_at` and `revision` (the ETag) move only when the station's configuration
    changes; live data (status, connectivity, last seen) has its own timestamps and moves
    `status_changed_at` instead."""

    __tablename__ = "stations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    location_id: Mapped[str | None] = mapped_column(ForeignKey("locations.id"), index=True)
    circuit_id: Mapped[str | None] = mapped_column(ForeignKey("circuits.id"), index=True)
    # The tariff of sessions here, before the location's and the organization's default.
    tariff_id: Mapped[str | None] = mapped_column(ForeignKey("tariffs.id"), index=True)
    # OCPP 1.6: send the Open Charge Alliance cost messages (costing/cost_messages.py).
    cost_messages: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    # HMAC of the password under the server's secret key (security/verifiers.py): reconnects
    # skip Argon2. Meaningless without the key; matches nothing once password_hash changes.
    password_verifier: Mapped[str | None] = mapped_column(String(80))
    # A new password the station accepted from the CSMS (ChangeConfiguration AuthorizationKey,
    # SetVariables BasicAuthPassword) but has not yet connected with: both it and the current one
    # are let in until the station connects with the new one, which then replaces the old.
    pending_password_hash: Mapped[str | None] = mapped_column(String(200))
    pending_password_since: Mapped[datetime | None]
    security_profile: Mapped[int] = mapped_column(default=1)
    registration_status: Mapped[str] = mapped_column(String(16), default="Accepted")
    boot_accepted: Mapped[bool] = mapped_column(default=False)

    vendor: Mapped[str | None] = mapped_column(String(50))
    model: Mapped[str | None] = mapped_column(String(50))
    serial_number: Mapped[str | None] = mapped_column(String(50))
    charge_box_serial_number: Mapped[str | None] = mapped_column(String(50))
    firmware_version: Mapped[str | None] = mapped_column(String(50))
    iccid: Mapped[str | None] = mapped_column(String(20))
    imsi: Mapped[str | None] = mapped_column(String(20))
    meter_type: Mapped[str | None] = mapped_column(String(50))
    meter_serial_number: Mapped[str | None] = mapped_column(String(50))

    status: Mapped[str | None] = mapped_column(String(32))
    ocpp_status: Mapped[str | None] = mapped_column(String(32))
    error_code: Mapped[str | None] = mapped_column(String(50))
    status_at: Mapped[datetime | None]

    firmware_status: Mapped[str | None] = mapped_column(String(40))
    firmware_status_at: Mapped[datetime | None]
    diagnostics_status: Mapped[str | None] = mapped_column(String(40))
    diagnostics_status_at: Mapped[datetime | None]

    protocol: Mapped[str | None] = mapped_column(String(16))
    connected: Mapped[bool] = mapped_column(default=False)
    connected_node: Mapped[str | None] = mapped_column(String(200))
    connected_at: Mapped[datetime | None]
    disconnected_at: Mapped[datetime | None]
    last_seen_at: Mapped[datetime | None]
    last_boot_at: Mapped[datetime | None]
    heartbeat_interval: Mapped[int | None]

    # Not Tracked's `onupdate`: a live-data UPDATE of the row must not look like an edit.
    updated_at: Mapped[datetime] = mapped_column(default=stamp, index=True)
    status_changed_at: Mapped[datetime | None] = mapped_column(index=True)

    # A public station: any accepted tag charges here, whatever its permissions say.
    allow_all_tags: Mapped[bool] = mapped_column(default=False)
    deploy_state: Mapped[str] = mapped_column(String(16), default="Production")
    latitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    longitude: Mapped[Decimal | None] = mapped_column(Numeric(9, 6))
    capabilities: Mapped[list[str]] = mapped_column(JSON, default=list)
    parking_restrictions: Mapped[list[str]] = mapped_column(JSON, default=list)
    directions: Mapped[str | None] = mapped_column(String(500))
    floor_level: Mapped[str | None] = mapped_column(String(4))
    physical_reference: Mapped[str | None] = mapped_column(String(16))

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    evses: Mapped[list["Evse"]] = relationship(
        back_populates="station",
        lazy="raise",
        order_by="Evse.evse_id",
        cascade="all, delete-orphan",
    )


class Evse(Base):
    __tablename__ = "evses"
    __table_args__ = (UniqueConstraint("station_id", "evse_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"))
    evse_id: Mapped[int]
    status: Mapped[str] = mapped_column(String(32), default="Unknown")
    # Laid out through the API (before or after the station reported it), not only reported.
    planned: Mapped[bool] = mapped_column(default=False)
    physical_reference: Mapped[str | None] = mapped_column(String(16))
    # The tariff of sessions on this EVSE, before the station's (`tariffs/domain.py`).
    tariff_id: Mapped[str | None] = mapped_column(ForeignKey("tariffs.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(default=stamp, onupdate=stamp)

    station: Mapped[Station] = relationship(back_populates="evses", lazy="raise")
    connectors: Mapped[list["Connector"]] = relationship(
        back_populates="evse",
        lazy="raise",
        order_by="Connector.connector_id",
        cascade="all, delete-orphan",
    )


class Connector(Base):
    __tablename__ = "connectors"
    __table_args__ = (UniqueConstraint("evse_pk", "connector_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    evse_pk: Mapped[int] = mapped_column(ForeignKey("evses.id", ondelete="CASCADE"))
    connector_id: Mapped[int]
    # The raw OCPP 2.0.1 ConnectorType the station reported, if it did.
    connector_type: Mapped[str | None] = mapped_column(String(32))
    standard: Mapped[str | None] = mapped_column(String(32))
    format: Mapped[str | None] = mapped_column(String(8))
    power_type: Mapped[str | None] = mapped_column(String(20))
    max_voltage: Mapped[int | None]
    max_amperage: Mapped[int | None]
    max_electric_power: Mapped[int | None]
    planned: Mapped[bool] = mapped_column(default=False)
    # Where the station's reports disagree with the plan: [{"field", "planned", "reported"}].
    conflicts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(32), default="Unknown")
    ocpp_status: Mapped[str | None] = mapped_column(String(32))
    error_code: Mapped[str | None] = mapped_column(String(50))
    info: Mapped[str | None] = mapped_column(String(50))
    vendor_id: Mapped[str | None] = mapped_column(String(255))
    vendor_error_code: Mapped[str | None] = mapped_column(String(50))
    status_at: Mapped[datetime | None]

    evse: Mapped[Evse] = relationship(back_populates="connectors", lazy="raise")


class StatusChange(Base):
    """One reported status, kept forever as the connector's history."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(String(32), index=True)
    station_id: Mapped[str] = mapped_column(String(64), index=True)
    evse_id: Mapped[int | None]
    connector_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(32))
    ocpp_status: Mapped[str] = mapped_column(String(32))
    error_code: Mapped[str | None] = mapped_column(String(50))
    info: Mapped[str | None] = mapped_column(String(50))
    vendor_id: Mapped[str | None] = mapped_column(String(255))
    vendor_error_code: Mapped[str | None] = mapped_column(String(50))
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    received_at: Mapped[datetime] = mapped_column(default=stamp)
