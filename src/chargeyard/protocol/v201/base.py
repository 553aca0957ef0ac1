"""What every OCPP 2.x handler module shares: a unit of work per message and the services."""

from typing import Any

from chargeyard.protocol.domain_session import DomainSession
from chargeyard.station_reports.domain import StationReport
from chargeyard.station_reports.service import StationReportService
from chargeyard.storage.unit_of_work import UnitOfWork


class V2Session(DomainSession):
    call_types: Any
    result_types: Any

    def _reports(self, uow: UnitOfWork) -> StationReportService:
        return StationReportService(uow, self.identity.organization_id, self.ctx.clock)

    async def _record(self, *reports: StationReport) -> None:
        """Store reports in a unit of work of their own."""
        async with self._unit() as uow:
            for report in reports:
                self._reports(uow).record(self.identity.station_id, report)
            await uow.commit()
