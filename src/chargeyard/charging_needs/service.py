"""Recording EV charging needs and schedules for smart charging. Never commits."""

from dataclasses import asdict

from chargeyard.charging_needs.domain import ChargingNeed, EvChargingSchedule
from chargeyard.charging_needs.models import ChargingNeedRow, EvChargingScheduleRow
from chargeyard.charging_needs.repository import ChargingNeedRepository
from chargeyard.clock import Clock
from chargeyard.events.payloads import (
    EV_CHARGING_NEEDS,
    EV_CHARGING_SCHEDULE,
    EvChargingNeeds,
    EvChargingScheduleReported,
    EventKind,
    P,
)
from chargeyard.events.recorder import record_event
from chargeyard.storage.unit_of_work import UnitOfWork


class ChargingNeedService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.needs = ChargingNeedRepository(uow.session, organization_id)

    def record_need(self, station_id: str, need: ChargingNeed) -> None:
        now = self.clock()
        self.needs.add(
            ChargingNeedRow(
                organization_id=self.organization_id,
                station_id=station_id,
                reported_at=now,
                **asdict(need),
            )
        )
        self._event(
            station_id,
            EV_CHARGING_NEEDS,
            EvChargingNeeds(
                station_id=station_id,
                evse_id=need.evse_id,
                requested_energy_transfer=need.requested_energy_transfer,
                energy_amount_wh=need.energy_amount_wh,
                departure_time=need.departure_time.isoformat() if need.departure_time else None,
            ),
        )

    def record_schedule(self, station_id: str, schedule: EvChargingSchedule) -> None:
        self.needs.add_schedule(
            EvChargingScheduleRow(
                organization_id=self.organization_id,
                station_id=station_id,
                evse_id=schedule.evse_id,
                time_base=schedule.time_base,
                schedule=schedule.schedule,
                reported_at=self.clock(),
            )
        )
        self._event(
            station_id,
            EV_CHARGING_SCHEDULE,
            EvChargingScheduleReported(
                station_id=station_id,
                evse_id=schedule.evse_id,
                time_base=schedule.time_base.isoformat(),
            ),
        )

    def _event(self, station_id: str, kind: EventKind[P], data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            station_id=station_id,
            data=data,
        )
