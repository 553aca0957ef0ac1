"""Checking what a station applies against what smart charging requested there: asks the
station for an EVSE's composite schedule (GetCompositeSchedule, through the `Dispatcher`) and
compares it with the profiles delivery holds in force (`schedule_comparison`).

Used by the schedule-check endpoint and by the controller's periodic check, which records
`charging_profile.deviation` when a station applies something else.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from chargeyard.charging_profiles.domain import Purpose, RateUnit
from chargeyard.clock import Clock
from chargeyard.commands.dispatcher import Dispatcher
from chargeyard.commands.domain import GetCompositeSchedule
from chargeyard.errors import ChargeyardError
from chargeyard.evse_wiring.repository import WiringRepository
from chargeyard.load_management.delivery import Delivery
from chargeyard.load_management.in_force import Held
from chargeyard.load_management.planner import Key
from chargeyard.load_management.repository import SiteRepository
from chargeyard.load_management.schedule_comparison import (
    Deviation,
    Step,
    deviations,
    effective_steps,
    requested_steps,
)
from chargeyard.load_management.site_reader import wiring_of
from chargeyard.schedule_updates.domain import Installed
from chargeyard.storage.database import Database

ACCEPTED = "Accepted"
DEFAULT_TOLERANCE_KW = 0.25
"""Below this, a difference is rounding (W floored, A to 0.1 A, stations' own steps)."""


class CompositeScheduleRefused(ChargeyardError):
    """The station answered GetCompositeSchedule without a schedule."""

    status = 502
    title = "Station gave no composite schedule"


@dataclass(frozen=True)
class ScheduleCheck:
    station_id: str
    evse_id: int
    start: datetime
    end: datetime
    tolerance_kw: float
    transaction_id: int | None
    managed: bool
    """Whether smart charging has a profile in force for this EVSE (else nothing to compare)."""
    requested: list[Step]
    effective: list[Step]
    deviations: list[Deviation]
    basis: dict[Key, Held]
    """What delivery held in force when the station was asked (a step may change it since)."""


class ScheduleChecker:
    def __init__(
        self,
        db: Database,
        dispatcher: Dispatcher,
        delivery: Delivery,
        clock: Clock,
        timeout_s: float,
    ) -> None:
        self.db = db
        self.dispatcher = dispatcher
        self.delivery = delivery
        self.clock = clock
        self.timeout_s = timeout_s

    async def check(
        self,
        organization_id: str,
        station_id: str,
        evse_id: int,
        minutes: int,
        tolerance_kw: float = DEFAULT_TOLERANCE_KW,
    ) -> ScheduleCheck:
        """Raises the dispatcher's error (offline 409, timeout 504, CALLERROR 502) or
        `CompositeScheduleRefused` when the station gives no schedule."""
        await self.delivery.load(organization_id)
        async with self.db.reading() as uow:
            repo = SiteRepository(uow.session, organization_id)
            row = await WiringRepository(uow.session, organization_id).planned_with(
                station_id, evse_id
            )
            active = await repo.active_transactions([station_id])
        wiring = wiring_of(row)
        transaction_id = next((tx.id for tx in active if tx.evse_id == evse_id), None)
        held = self.delivery.held_at(organization_id, station_id, evse_id)
        duration_s = minutes * 60
        asked_at = self.clock()
        command = GetCompositeSchedule(evse_id, duration_s, RateUnit.WATTS)
        outcome = await self.dispatcher.send(station_id, command, self.timeout_s)
        if outcome.answer is None:
            raise outcome.error or ChargeyardError("the station gave no answer")
        if outcome.answer.status != ACCEPTED:
            raise CompositeScheduleRefused(f"the station answered {outcome.answer.status}")
        effective = effective_steps(outcome.answer.response, asked_at, wiring)
        start = effective[0].at if effective else asked_at
        end = start + timedelta(seconds=duration_s)
        installed = _precedence(held, transaction_id)
        requested = requested_steps(installed, start, end, wiring)
        return ScheduleCheck(
            station_id=station_id,
            evse_id=evse_id,
            start=start,
            end=end,
            tolerance_kw=tolerance_kw,
            transaction_id=transaction_id,
            managed=bool(installed),
            requested=requested,
            effective=effective,
            deviations=deviations(
                requested, effective, start, end, tolerance_kw, wiring.max_power_kw
            ),
            basis=held,
        )


def _precedence(held: dict[Key, Held], transaction_id: int | None) -> list[Installed]:
    """A session's TxProfile, then the EVSE's default, then the station's (OCPP stacking)."""
    found = []
    for key, item in sorted(held.items(), key=lambda kv: _rank(kv[0])):
        if key[2] is Purpose.TX and (
            transaction_id is None or item.profile.transaction_id != transaction_id
        ):
            continue
        found.append(Installed(item.profile, key[1], item.since))
    return found


def _rank(key: Key) -> int:
    _station, evse_id, purpose = key
    if purpose is Purpose.TX:
        return 0
    return 1 if evse_id > 0 else 2
