"""The hardware side of a simulated station: connectors, charging profiles, power.

Protocol-neutral: it knows what each connector is doing and how much power the installed
charging profiles let it deliver, and the protocol adapters (`v16`, later 2.x) turn that
into messages and answers. Connector ids start at 1; 0 addresses the station itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from chargeyard.simulator.charging_limits import STATION, composite_schedule, limits_at
from chargeyard.simulator.charging_profile import (
    ChargingProfile,
    ProfilePurpose,
    RateUnit,
    SchedulePeriod,
)
from chargeyard.simulator.clock import Clock
from chargeyard.simulator.connector import (
    Connector,
    ConnectorRating,
    ConnectorStatus,
    TransactionId,
)
from chargeyard.simulator.profile_store import ProfileStore


class Charger:
    def __init__(self, connectors: int, rating: ConnectorRating, clock: Clock) -> None:
        self.connectors = {i: Connector(i, rating) for i in range(1, connectors + 1)}
        self.status = ConnectorStatus.AVAILABLE  # of connector 0, the station as a whole
        self.profiles = ProfileStore()
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []
        """Called whenever the limit in force for a running transaction may have changed (a
        profile installed or cleared, a transaction started or ended): see `LimitTimeline`."""

    @property
    def connector_ids(self) -> Sequence[int]:
        return tuple(self.connectors)

    def has(self, connector_id: int) -> bool:
        return connector_id in self.connectors

    def connector(self, connector_id: int) -> Connector:
        try:
            return self.connectors[connector_id]
        except KeyError:
            raise ValueError(f"no connector {connector_id}") from None

    def transaction_connector(self, transaction_id: TransactionId) -> Connector | None:
        for connector in self.connectors.values():
            if connector.transaction and connector.transaction.transaction_id == transaction_id:
                return connector
        return None

    def can_start(self, connector_id: int, id_tag: str) -> bool:
        """Whether a remote start for `id_tag` may use the connector.

        It must be operative and without a transaction: free, with a car waiting
        (Preparing), or reserved for this very tag.
        """
        connector = self.connectors.get(connector_id)
        if connector is None or not connector.operative or connector.transaction is not None:
            return False
        reservation = connector.reservation
        if connector.status is ConnectorStatus.RESERVED:
            return reservation is not None and reservation.id_tag == id_tag
        return connector.status in (ConnectorStatus.AVAILABLE, ConnectorStatus.PREPARING)

    def free_connector(self, id_tag: str) -> int | None:
        return next((cid for cid in self.connectors if self.can_start(cid, id_tag)), None)

    def idle_status(self, connector: Connector) -> ConnectorStatus:
        """The status of a connector nobody is using."""
        if not connector.operative:
            return ConnectorStatus.UNAVAILABLE
        if connector.reservation is not None:
            return ConnectorStatus.RESERVED
        return ConnectorStatus.AVAILABLE

    def set_availability(self, connector_id: int, *, operative: bool) -> bool:
        """Make connectors (0 = all) operative or not; True if one must wait for its session."""
        targets = (
            self.connectors.values() if connector_id == STATION else [self.connectors[connector_id]]
        )
        scheduled = False
        for connector in targets:
            busy = connector.transaction is not None
            connector.inoperative_when_free = busy and not operative
            connector.operative = operative or busy
            scheduled |= connector.inoperative_when_free
        if connector_id == STATION:
            self.status = ConnectorStatus.AVAILABLE if operative else ConnectorStatus.UNAVAILABLE
        return scheduled

    def install_profile(self, connector_id: int, profile: ChargingProfile) -> bool:
        """Install a profile if it fits where it is sent; False means reject it.

        A ChargePointMaxProfile belongs on connector 0, a TxProfile on a connector with
        a transaction (it is bound to that transaction), a TxDefaultProfile or an external
        constraint on either.
        Energy is integrated up to now first, so the old limit governs the past.
        """
        purpose = profile.purpose
        if connector_id != STATION and connector_id not in self.connectors:
            return False
        anywhere = (ProfilePurpose.TX_DEFAULT, ProfilePurpose.EXTERNAL_CONSTRAINTS)
        if (purpose is ProfilePurpose.CHARGE_POINT_MAX) != (
            connector_id == STATION
        ) and purpose not in anywhere:
            return False
        if purpose is ProfilePurpose.TX:
            transaction = self.connectors[connector_id].transaction
            if transaction is None or profile.transaction_id not in (
                None,
                transaction.transaction_id,
            ):
                return False
            profile = replace(profile, transaction_id=transaction.transaction_id)
        for connector in self.connectors.values():
            self.advance(connector)
        self.profiles.install(connector_id, profile)
        self.changed()
        return True

    def changed(self) -> None:
        for listener in tuple(self.listeners):
            listener()

    def in_force_w(self) -> dict[int, float]:
        """The limit in force now for each connector charging a transaction (one starting
        included): its composed profile limit, or its physical maximum where none applies.
        A discharge (a negative limit, V2G) counts negative, down to the physical maximum."""
        now = self.clock.now()
        found = {}
        for connector in self.connectors.values():
            if connector.transaction is None and not connector.starting:
                continue
            physical = connector.phases_in_use * connector.rating.max_current_a
            physical_w = physical * connector.rating.voltage_v
            limit = self.limit_w(connector, now)
            found[connector.connector_id] = (
                physical_w if limit is None else max(-physical_w, min(physical_w, limit))
            )
        return found

    def clear_profiles(
        self,
        *,
        profile_id: int | None = None,
        connector_id: int | None = None,
        purpose: ProfilePurpose | None = None,
        stack_level: int | None = None,
    ) -> int:
        """ClearChargingProfile, after integrating up to now under the old limits."""
        for connector in self.connectors.values():
            self.advance(connector)
        removed = self.profiles.clear(
            profile_id=profile_id,
            connector_id=connector_id,
            purpose=purpose,
            stack_level=stack_level,
        )
        self.changed()
        return removed

    def end_transaction(self, connector: Connector) -> None:
        """The transaction on `connector` ended: it and its TxProfiles are gone."""
        connector.transaction = None
        connector.starting = False
        self.profiles.end_transaction(connector.connector_id)
        self.changed()

    def advance(self, connector: Connector) -> None:
        """Bring the connector's meter and vehicle up to now.

        The energy since the last update is charged under the limit in force at its
        start; what the connector offers from now on follows the limit in force now.
        """
        now = self.clock.now()
        since = connector.last_update or now
        connector.advance(now, self.limit_w(connector, since), self.limit_w(connector, now))

    def limit_w(self, connector: Connector, at: datetime) -> float | None:
        """The power limit profiles put on `connector` at `at`, the station cap shared
        equally among the connectors with a transaction."""
        transaction = connector.transaction
        limits = limits_at(
            self.profiles,
            at,
            connector_id=connector.connector_id,
            voltage_v=connector.rating.voltage_v,
            phases=connector.phases_in_use,
            transaction_id=None if transaction is None else transaction.transaction_id,
            # A transaction starting (its id not known yet) runs under its defaults, relative
            # profiles counted from now.
            tx_start=(at if connector.starting else None)
            if transaction is None
            else transaction.started_at,
        )
        sharing = sum(1 for c in self.connectors.values() if c.transaction is not None)
        return limits.for_connector(sharing)

    def composite(
        self, connector_id: int, duration_s: int, unit: RateUnit
    ) -> tuple[datetime, tuple[SchedulePeriod, ...]]:
        """The limits from now on for a connector (0 = station), physical maximum included."""
        now = self.clock.now()
        if connector_id == STATION:
            ratings = [c.rating for c in self.connectors.values()]
            physical = sum(rating.max_power_w for rating in ratings)
            voltage, phases, transaction = ratings[0].voltage_v, ratings[0].phases, None
        else:
            connector = self.connectors[connector_id]
            phases, transaction = connector.phases_in_use, connector.transaction
            voltage = connector.rating.voltage_v
            physical = phases * connector.rating.max_current_a * voltage
        periods = composite_schedule(
            self.profiles,
            connector_id=connector_id,
            start=now,
            duration_s=duration_s,
            unit=unit,
            voltage_v=voltage,
            phases=phases,
            physical_max_w=physical,
            transaction_id=None if transaction is None else transaction.transaction_id,
            tx_start=None if transaction is None else transaction.started_at,
        )
        return now, periods
