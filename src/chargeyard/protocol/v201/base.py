"""What every OCPP 2.x handler module shares: a unit of work per message and the services."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from chargeyard.protocol.session import StationSession
from chargeyard.reservations.service import ReservationService
from chargeyard.station_reports.domain import StationReport
from chargeyard.station_reports.service import StationReportService
from chargeyard.stations.models import Station
from chargeyard.stations.service import StationService
from chargeyard.storage.unit_of_work import UnitOfWork


class V2Session(StationSession):
    _call: Any
    _call_result: Any

    @asynccontextmanager
    async def _unit(self) -> AsyncIterator[UnitOfWork]:
        async with self.ctx.db.writing() as uow:
            yield uow

    def _stations(self, uow: UnitOfWork) -> StationService:
        return StationService(uow, self.identity.organization_id, self.ctx.clock)

    async def _station(self, service: StationService) -> Station:
        return await service.get(self.identity.station_id)

    def _reservations(self, uow: UnitOfWork) -> ReservationService:
        return ReservationService(uow, self.identity.organization_id, self.ctx.clock)

    def _reports(self, uow: UnitOfWork) -> StationReportService:
        return StationReportService(uow, self.identity.organization_id, self.ctx.clock)

    async def _record(self, *reports: StationReport) -> None:
        """Store reports in a unit of work of their own."""
        async with self._unit() as uow:
            for report in reports:
                self._reports(uow).record(self.identity.station_id, report)
            await uow.commit()
