"""Admission at boot: a station joining a managed circuit may charge only once there is room.

A station that has just booted has no limit Chargeyard can count on: it may have lost its
profiles, or never had any, and would start its first session at its full power. So a station
on a managed circuit is answered BootNotification `Pending` (a strict station starts no
transaction while pending, OCPP 1.6 4.2 / 2.0.1 B02) and retries after `retry_s`. Meanwhile
the controller plans the site with the station in it, lowers the others and puts the
station's fail-safe defaults in place (`controller.py`); once all of that is acknowledged it
marks the station admitted and asks it to boot again (TriggerMessage BootNotification), and
that boot is accepted (as is any other within a short grace: a station's own retry may cross
the triggered boot). The row stays, admitted, until the next fresh boot reuses it. A station that could not be admitted within `max_wait_s` (it refused
every profile, say) is accepted anyway: its sessions are then counted at their maximum.

The rows (`AdmissionRow`) live in the database, so the node a station is connected to decides
its boot while the node holding the organization's smart-charging lease admits it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from chargeyard.load_management.admission_repository import AdmissionRepository
from chargeyard.load_management.models import AdmissionRow
from chargeyard.stations.models import Station
from chargeyard.storage.session import AsyncSession


@dataclass(frozen=True)
class AdmissionPolicy:
    retry_s: int = 2
    """The boot interval a waiting station is given (it is also asked to boot again as soon as
    it is admitted)."""
    max_wait_s: float = 120.0
    """A station not admitted after this long is accepted anyway (counted at its maximum)."""


class WaitReason:
    """How a boot went through admission (the `admission` field of `station.booted`)."""

    HELD = "held"
    """A fresh boot: the station waits; its profiles are taken as lost."""
    WAITING = "waiting"
    """A boot again while waiting."""
    ADMITTED = "admitted"
    """The boot that follows admission: accepted; the profiles put in place stay."""
    TIMED_OUT = "timed_out"
    """Accepted without admission after `max_wait_s`."""


async def admit_boot(
    session: AsyncSession,
    organization_id: str,
    station: Station,
    now: datetime,
    policy: AdmissionPolicy,
) -> str | None:
    """How admission answers a boot the station's registration accepts: one of `WaitReason`
    (the boot is held while HELD or WAITING), or None when the station is not managed."""
    repo = AdmissionRepository(session, organization_id)
    row = await repo.find(station.id)
    if not await repo.managed(station.circuit_id):
        if row is not None:
            await repo.delete(row)
        return None
    if row is not None and row.admitted_at is not None:
        # Admitted: this boot is accepted, and so is any within the grace that follows (a
        # station whose own retry crossed the triggered boot sends two; the second must not
        # start a new wait while the station believes itself accepted).
        if station.boot_accepted is False or now - row.admitted_at <= _grace(policy):
            return WaitReason.ADMITTED
    elif row is not None and not station.boot_accepted:
        if now - row.pending_since >= timedelta(seconds=policy.max_wait_s):
            row.admitted_at = now
            return WaitReason.TIMED_OUT
        return WaitReason.WAITING
    # A fresh boot: the last answer was Accepted (or the station never waited).
    if row is None:
        row = repo.add(AdmissionRow(organization_id=organization_id, station_id=station.id))
    row.pending_since, row.admitted_at = now, None
    return WaitReason.HELD


def _grace(policy: AdmissionPolicy) -> timedelta:
    return timedelta(seconds=max(10.0, 3.0 * policy.retry_s))


def holds(reason: str | None) -> bool:
    return reason in (WaitReason.HELD, WaitReason.WAITING)


def fresh(reason: str | None) -> bool:
    """Whether a boot may have cost the station its profiles (it must get them again): not
    the boots again while it waits, nor the one that ends the wait."""
    return reason in (None, WaitReason.HELD)
