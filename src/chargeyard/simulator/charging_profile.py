"""Charging profiles as a station holds them, and when each one's periods apply.

Values here are already parsed from the wire (see `v16.codec`), so the stacking rules
in `charging_limits` work on typed data for whichever protocol version delivered them.
Combining several profiles is not done here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from chargeyard.simulator.connector import TransactionId

DEFAULT_PHASES = 3  # OCPP: a period without numberPhases means three.


class ProfilePurpose(StrEnum):
    CHARGE_POINT_MAX = "ChargePointMaxProfile"
    TX_DEFAULT = "TxDefaultProfile"
    TX = "TxProfile"
    EXTERNAL_CONSTRAINTS = "ChargingStationExternalConstraints"
    """OCPP 2.x: a limit the station's external system (an EMS, the grid operator) set; it
    caps the station (connector 0) or one EVSE like a maximum profile. Never set by the CSMS."""


class ProfileKind(StrEnum):
    ABSOLUTE = "Absolute"
    RECURRING = "Recurring"
    RELATIVE = "Relative"


class Recurrency(StrEnum):
    DAILY = "Daily"
    WEEKLY = "Weekly"


class RateUnit(StrEnum):
    AMPS = "A"
    WATTS = "W"


_RECURRENCE = {Recurrency.DAILY: timedelta(days=1), Recurrency.WEEKLY: timedelta(weeks=1)}


@dataclass(frozen=True)
class SchedulePeriod:
    start_s: int
    limit: float
    phases: int | None = None

    def watts(self, unit: RateUnit, voltage_v: float, phases: int) -> float:
        """This period's limit in W for a connector using `phases` at `voltage_v`."""
        if unit is RateUnit.WATTS:
            return self.limit
        return self.limit * voltage_v * min(phases, self.phases or DEFAULT_PHASES)


@dataclass(frozen=True)
class ChargingSchedule:
    unit: RateUnit
    periods: tuple[SchedulePeriod, ...]
    duration_s: int | None = None
    start: datetime | None = None
    min_rate: float | None = None


@dataclass(frozen=True)
class ChargingProfile:
    profile_id: int
    stack_level: int
    purpose: ProfilePurpose
    kind: ProfileKind
    schedule: ChargingSchedule
    transaction_id: TransactionId | None = None
    recurrency: Recurrency | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    def schedule_start(self, at: datetime, tx_start: datetime | None) -> datetime | None:
        """When the schedule in force at `at` began, or None if none is in force.

        Absolute schedules start at their start time, relative ones with the
        transaction, recurring ones at the latest daily or weekly repetition.
        """
        start = self.schedule.start
        if self.kind is ProfileKind.RELATIVE:
            return tx_start
        if start is None or at < start:
            return None
        if self.kind is ProfileKind.RECURRING:
            every = _RECURRENCE[self.recurrency or Recurrency.DAILY]
            return start + every * ((at - start) // every)
        return start

    def period_at(self, at: datetime, tx_start: datetime | None) -> SchedulePeriod | None:
        """The period in force at `at`, or None when this profile sets no limit then."""
        if self.valid_from is not None and at < self.valid_from:
            return None
        if self.valid_to is not None and at >= self.valid_to:
            return None
        start = self.schedule_start(at, tx_start)
        if start is None:
            return None
        offset = (at - start).total_seconds()
        if offset < 0 or (
            self.schedule.duration_s is not None and offset >= self.schedule.duration_s
        ):
            return None
        current = None
        for period in self.schedule.periods:
            if period.start_s > offset:
                break
            current = period
        return current

    def boundaries(
        self, window_start: datetime, window_end: datetime, tx_start: datetime | None
    ) -> Iterator[datetime]:
        """Instants within the window where this profile's limit may change."""
        for instant in (self.valid_from, self.valid_to):
            if instant is not None:
                yield instant
        for start in self._starts(window_start, window_end, tx_start):
            yield start
            for period in self.schedule.periods:
                yield start + timedelta(seconds=period.start_s)
            if self.schedule.duration_s is not None:
                yield start + timedelta(seconds=self.schedule.duration_s)

    def _starts(
        self, window_start: datetime, window_end: datetime, tx_start: datetime | None
    ) -> Iterator[datetime]:
        first = self.schedule_start(window_start, tx_start)
        if first is None:
            first = tx_start if self.kind is ProfileKind.RELATIVE else self.schedule.start
        if first is None:
            return
        if self.kind is not ProfileKind.RECURRING:
            yield first
            return
        every = _RECURRENCE[self.recurrency or Recurrency.DAILY]
        while first < window_end:
            yield first
            first += every
