"""How a station combines its charging profiles into the limit it obeys (OCPP 1.6 3.13).

At any instant each purpose is decided by the profile with the highest stack level that
is in force then; a TxProfile for the running transaction overrides the TxDefaultProfile
(a connector's own default overrides the station-wide one on connector 0), and the
ChargePointMaxProfile caps the whole station. An OCPP 2.x ChargingStationExternalConstraints
profile (what an external system set) caps the station on connector 0, or one connector. Everything here is a pure function of the
installed profiles and the instant, so it can be tested without a station.

A negative limit is a discharge (V2G: a 2.0.1 V2X station's negative limit, a 2.1 period's
setpoint under CentralSetpoint): it is the lowest of the limits composed, so it prevails over a
positive cap, and it counts negative in a site's sum.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from chargeyard.simulator.charging_profile import (
    ChargingProfile,
    ProfilePurpose,
    RateUnit,
    SchedulePeriod,
)
from chargeyard.simulator.connector import TransactionId

STATION = 0  # connector id 0 addresses the station as a whole


@dataclass(frozen=True)
class InstalledProfile:
    connector_id: int
    profile: ChargingProfile


@dataclass(frozen=True)
class Limits:
    """The limits in force at one instant, in W; None where no profile sets one."""

    station_w: float | None
    connector_w: float | None

    def for_connector(self, sharing: int = 1) -> float | None:
        """The connector's limit when `sharing` connectors split the station's cap."""
        share = None if self.station_w is None else self.station_w / max(1, sharing)
        return _lowest(share, self.connector_w)


def limits_at(
    installed: Iterable[InstalledProfile],
    at: datetime,
    *,
    connector_id: int,
    voltage_v: float,
    phases: int,
    transaction_id: TransactionId | None = None,
    tx_start: datetime | None = None,
) -> Limits:
    """The station and connector limits at `at` for a connector using `phases`."""
    profiles = tuple(installed)

    def watts(chosen: tuple[ChargingProfile, SchedulePeriod] | None) -> float | None:
        if chosen is None:
            return None
        profile, period = chosen
        return period.watts(profile.schedule.unit, voltage_v, phases)

    def prevailing(keep: Callable[[InstalledProfile], bool]) -> float | None:
        return watts(_prevailing((p.profile for p in profiles if keep(p)), at, tx_start))

    station = _lowest(
        prevailing(
            lambda p: (
                p.connector_id == STATION and p.profile.purpose is ProfilePurpose.CHARGE_POINT_MAX
            )
        ),
        prevailing(lambda p: p.connector_id == STATION and _is_external(p)),
    )
    if connector_id == STATION:
        return Limits(station_w=station, connector_w=None)
    external = prevailing(lambda p: p.connector_id == connector_id and _is_external(p))
    tx = None
    if transaction_id is not None:
        tx = prevailing(
            lambda p: (
                p.connector_id == connector_id
                and p.profile.purpose is ProfilePurpose.TX
                and p.profile.transaction_id in (None, transaction_id)
            )
        )
    if tx is None:
        tx = prevailing(lambda p: p.connector_id == connector_id and _is_default(p))
    if tx is None:
        tx = prevailing(lambda p: p.connector_id == STATION and _is_default(p))
    return Limits(station_w=station, connector_w=_lowest(tx, external))


def composite_schedule(
    installed: Iterable[InstalledProfile],
    *,
    connector_id: int,
    start: datetime,
    duration_s: int,
    unit: RateUnit,
    voltage_v: float,
    phases: int,
    physical_max_w: float,
    transaction_id: TransactionId | None = None,
    tx_start: datetime | None = None,
) -> tuple[SchedulePeriod, ...]:
    """The limit a connector will get from `start` on, as merged schedule periods.

    Without a transaction, relative profiles are evaluated as if one started at `start`,
    which is what a CSMS asking "what would a session get now" wants to know.
    """
    profiles = tuple(installed)
    end = start + timedelta(seconds=duration_s)
    session_start = tx_start or start
    instants = {start}
    for item in profiles:
        instants.update(
            b for b in item.profile.boundaries(start, end, session_start) if start <= b < end
        )
    periods: list[SchedulePeriod] = []
    for instant in sorted(instants):
        limits = limits_at(
            profiles,
            instant,
            connector_id=connector_id,
            voltage_v=voltage_v,
            phases=phases,
            transaction_id=transaction_id,
            tx_start=session_start,
        )
        profile_w = limits.for_connector()
        limit_w = physical_max_w if profile_w is None else min(physical_max_w, profile_w)
        value = round(limit_w if unit is RateUnit.WATTS else limit_w / (voltage_v * phases), 1)
        if not periods or periods[-1].limit != value:
            offset = int((instant - start).total_seconds())
            count = phases if unit is RateUnit.AMPS else None
            periods.append(SchedulePeriod(start_s=offset, limit=value, phases=count))
    return tuple(periods)


def _is_default(item: InstalledProfile) -> bool:
    return item.profile.purpose is ProfilePurpose.TX_DEFAULT


def _is_external(item: InstalledProfile) -> bool:
    return item.profile.purpose is ProfilePurpose.EXTERNAL_CONSTRAINTS


def _prevailing(
    profiles: Iterable[ChargingProfile], at: datetime, tx_start: datetime | None
) -> tuple[ChargingProfile, SchedulePeriod] | None:
    """The highest-stack profile in force at `at`, with its period then."""
    best: tuple[ChargingProfile, SchedulePeriod] | None = None
    for profile in profiles:
        period = profile.period_at(at, tx_start)
        if period is not None and (best is None or profile.stack_level > best[0].stack_level):
            best = (profile, period)
    return best


def _lowest(*values: float | None) -> float | None:
    present = [value for value in values if value is not None]
    return min(present) if present else None
