"""A connector of a simulated station: its state, the session on it, and its meter.

The state vocabulary is OCPP 1.6's nine connector statuses, the richest of the protocol
versions; other versions map onto it. Energy is integrated here, from the power the
vehicle draws under the limit the station's charging profiles allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import NewType

from chargeyard.simulator.battery import EVBattery
from chargeyard.simulator.meter_reading import MeterReading

TransactionId = NewType("TransactionId", str)

# IEC 61851-1: an AC charger cannot signal less than 6 A, so below that it pauses instead.
MIN_AC_CURRENT_A = 6.0


class ConnectorStatus(StrEnum):
    AVAILABLE = "Available"
    PREPARING = "Preparing"
    CHARGING = "Charging"
    SUSPENDED_EVSE = "SuspendedEVSE"
    SUSPENDED_EV = "SuspendedEV"
    FINISHING = "Finishing"
    RESERVED = "Reserved"
    UNAVAILABLE = "Unavailable"
    FAULTED = "Faulted"


class StopReason(StrEnum):
    """Why a transaction ended (OCPP 1.6 names; later versions map onto them)."""

    LOCAL = "Local"
    EV_DISCONNECTED = "EVDisconnected"
    REMOTE = "Remote"
    HARD_RESET = "HardReset"
    SOFT_RESET = "SoftReset"
    UNLOCK_COMMAND = "UnlockCommand"
    DE_AUTHORIZED = "DeAuthorized"
    REBOOT = "Reboot"
    POWER_LOSS = "PowerLoss"
    EMERGENCY_STOP = "EmergencyStop"
    OTHER = "Other"


@dataclass(frozen=True)
class ConnectorRating:
    """The electrical rating of an AC connector."""

    phases: int
    max_current_a: float
    voltage_v: float = 230.0

    @property
    def max_power_w(self) -> float:
        return self.phases * self.max_current_a * self.voltage_v


AC_7_4_KW = ConnectorRating(phases=1, max_current_a=32)
AC_11_KW = ConnectorRating(phases=3, max_current_a=16)
AC_22_KW = ConnectorRating(phases=3, max_current_a=32)
AC_RATINGS = (AC_7_4_KW, AC_11_KW, AC_22_KW)


@dataclass(frozen=True)
class Reservation:
    reservation_id: int
    id_tag: str
    expires_at: datetime
    parent_id_tag: str | None = None


@dataclass
class Transaction:
    """A transaction running on a connector, as the station knows it."""

    transaction_id: TransactionId
    id_tag: str
    started_at: datetime
    meter_start_wh: int
    battery: EVBattery | None = None


@dataclass
class Connector:
    """One connector (1.6) or EVSE (2.x) with the vehicle plugged into it, if any."""

    connector_id: int
    rating: ConnectorRating
    status: ConnectorStatus = ConnectorStatus.AVAILABLE
    error_code: str = "NoError"
    operative: bool = True
    inoperative_when_free: bool = False
    plugged: bool = False
    reservation: Reservation | None = None
    transaction: Transaction | None = None
    starting: bool = False
    """A transaction is starting (1.6: StartTransaction is on its way, its id not known yet):
    the station charges already, under its default profiles."""
    energy_wh: float = 0.0
    """The import register: energy into the vehicle."""
    exported_wh: float = 0.0
    """The export register: energy the vehicle gave back (V2G discharge)."""
    offered_w: float = 0.0
    power_w: float = 0.0
    last_update: datetime | None = field(default=None, repr=False)

    @property
    def phases_in_use(self) -> int:
        """Phases the plugged vehicle charges on: both ends must be wired for them."""
        tx = self.transaction
        if tx is None or tx.battery is None:
            return self.rating.phases
        return min(self.rating.phases, tx.battery.vehicle.phases)

    @property
    def meter_wh(self) -> int:
        """The register in whole Wh, as a meter shows it."""
        return round(self.energy_wh)

    def offer_w(self, limit_w: float | None) -> float:
        """The power the station offers under `limit_w`, or 0 below the AC minimum; a
        negative limit is a discharge the station asks of the vehicle (at most its rating)."""
        phases = self.phases_in_use
        cap_w = phases * self.rating.max_current_a * self.rating.voltage_v
        offered = cap_w if limit_w is None else max(-cap_w, min(cap_w, limit_w))
        per_phase_a = abs(offered) / (phases * self.rating.voltage_v)
        return 0.0 if per_phase_a < MIN_AC_CURRENT_A else offered

    def advance(self, now: datetime, past_limit_w: float | None, limit_w: float | None) -> None:
        """Integrate the energy charged since the last update, then set the present draw.

        `past_limit_w` governed the interval just ended; `limit_w` governs from now on.
        """
        elapsed = 0.0 if self.last_update is None else (now - self.last_update).total_seconds()
        self.last_update = now
        tx = self.transaction
        if tx is None or tx.battery is None:
            self.offered_w = self.power_w = 0.0
            return
        if elapsed > 0:
            taken_wh = tx.battery.charge(self.offer_w(past_limit_w), elapsed)
            if taken_wh >= 0:
                self.energy_wh += taken_wh
            else:
                self.exported_wh -= taken_wh
        self.offered_w = self.offer_w(limit_w)
        self.power_w = tx.battery.draw_w(self.offered_w)

    def charging_status(self) -> ConnectorStatus:
        """Charging (discharging too: 2.0.1 has no state of its own for it), or which side
        pauses it: the station (no offer) or the vehicle."""
        if self.power_w < 0:
            return ConnectorStatus.CHARGING
        if self.offered_w <= 0:
            return ConnectorStatus.SUSPENDED_EVSE
        if self.power_w <= 0:
            return ConnectorStatus.SUSPENDED_EV
        return ConnectorStatus.CHARGING

    def reading(self, now: datetime) -> MeterReading:
        phases = self.phases_in_use
        voltage = self.rating.voltage_v
        per_phase = round(self.power_w / (phases * voltage), 2) if self.power_w else 0.0
        currents = tuple(per_phase if i < phases else 0.0 for i in range(self.rating.phases))
        tx = self.transaction
        battery = tx.battery if tx is not None else None
        return MeterReading(
            timestamp=now,
            energy_wh=self.meter_wh,
            power_w=round(self.power_w, 1),
            current_a=currents,
            voltage_v=voltage,
            soc_percent=None if battery is None else round(battery.soc * 100),
        )
