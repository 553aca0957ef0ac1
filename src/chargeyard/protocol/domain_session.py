"""What every version's message handlers share: a unit of work per message, and the services.

Handlers open their unit with `_unit()`, which shares commits across stations (group commit)
while still making each message durable before its answer is sent.
"""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from chargeyard.id_tags.domain import Authorization
from chargeyard.id_tags.service import IdTagService
from chargeyard.load_management.admission import AdmissionPolicy
from chargeyard.protocol.session import StationSession
from chargeyard.reservations.service import ReservationService
from chargeyard.stations import status_reports
from chargeyard.stations.domain import BootDecision, BootInfo, RegistrationStatus, StatusReport
from chargeyard.stations.held import HeldTopology
from chargeyard.stations.models import Station
from chargeyard.stations.service import StationService
from chargeyard.storage.group_commit import GuardMissed
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.transactions.domain import MeterReading
from chargeyard.transactions.held import HeldTransactions
from chargeyard.transactions.metering import Metering
from chargeyard.transactions.service import TransactionService
from chargeyard.transactions.watermark import MeterWatermark


class DomainSession(StationSession):
    # What the connection remembers across its messages, so that a MeterValues or a
    # StatusNotification rarely reads anything (`transactions/watermark.py`,
    # `transactions/held.py`, `stations/held.py`).
    watermark: MeterWatermark
    held: HeldTransactions
    topology: HeldTopology | None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.watermark = MeterWatermark()
        self.held = HeldTransactions()
        self.topology = None

    @asynccontextmanager
    async def _unit(self) -> AsyncIterator[UnitOfWork]:
        async with self.ctx.db.batched() as uow:
            yield uow

    def _stations(self, uow: UnitOfWork) -> StationService:
        return StationService(uow, self.identity.organization_id, self.ctx.clock)

    def _transactions(self, uow: UnitOfWork) -> TransactionService:
        return TransactionService(
            uow, self.identity.organization_id, self.ctx.clock, self.watermark, self.held
        )

    def _reservations(self, uow: UnitOfWork) -> ReservationService:
        return ReservationService(uow, self.identity.organization_id, self.ctx.clock)

    async def _station(self, service: StationService) -> Station:
        return await service.get(self.identity.station_id)

    async def _boot(self, info: BootInfo) -> BootDecision:
        """A BootNotification, any version: recorded, decided (with the server's heartbeat
        interval unless the station has its own), and remembered by the session (only an
        accepted station may send anything else)."""
        interval_s = self.ctx.settings.heartbeat_interval_s
        async with self._unit() as uow:
            service = self._stations(uow)
            # Locked as a REST change locks it: a boot may raise the revision (its ETag).
            station = await service.booting(self.identity.station_id)
            decision = await service.boot(station, info, interval_s, self._admission())
            topology = await self._topology_of(uow, station)
            await uow.commit()
        self.topology = topology
        self.boot_accepted = decision.status is RegistrationStatus.ACCEPTED
        return decision

    def _admission(self) -> AdmissionPolicy | None:
        settings = self.ctx.settings
        if settings.smart_charging_admission_max_wait_s <= 0:
            return None
        return AdmissionPolicy(
            settings.smart_charging_admission_retry_s,
            settings.smart_charging_admission_max_wait_s,
        )

    async def _report_status(self, report: StatusReport) -> None:
        """A connector (or station) status, any version: stored, and any reservation it
        confirms or ends moved with it. From the connection's memory when it can decide
        (`stations/status_reports.py`), else read, and the topology held again."""
        async with self.ctx.db.deferred() as unit:
            after = status_reports.from_memory(
                unit,
                self.identity.organization_id,
                self.ctx.clock,
                self.topology,
                report,
                self._forget_topology,
            )
            if after is not None:
                self.topology = after
                try:
                    await unit.commit()
                    return
                except GuardMissed:
                    pass  # nothing of it was stored, and the copy is dropped
                except BaseException:
                    self.topology = None  # stored or not: unknown
                    raise
        async with self._unit() as uow:
            service = self._stations(uow)
            station = await self._station(service)
            await service.report_status(station, report)
            if report.evse_id is not None:
                await self._reservations(uow).connector_reported(
                    self.identity.station_id, report.evse_id, report.status
                )
            topology = await self._topology_of(uow, station)
            await uow.commit()
        self.topology = topology

    async def _topology_of(self, uow: UnitOfWork, station: Station) -> HeldTopology:
        """The copy to hold once this unit commits (flushed first: new EVSEs and connectors
        get their row ids)."""
        await uow.session.flush()
        return HeldTopology.of(station)

    def _forget_topology(self) -> None:
        self.topology = None

    async def _meter(
        self,
        evse_id: int,
        connector_id: int,
        ocpp_transaction_id: str | None,
        readings: Sequence[MeterReading],
    ) -> None:
        """A MeterValues message, any version: from the connection's memory when it can decide
        (no statement of its own, `transactions/metering.py`), else the full path, which also
        takes over when the deferred write finds the session changed elsewhere."""
        organization_id, station_id = self.identity.organization_id, self.identity.station_id
        async with self.ctx.db.deferred() as unit:
            metering = Metering(unit, organization_id, self.ctx.clock, self.watermark, self.held)
            if metering.from_memory(
                unit, station_id, evse_id, connector_id, ocpp_transaction_id, readings
            ):
                try:
                    await unit.commit()
                    return
                except GuardMissed:
                    pass  # nothing of it was stored
        async with self._unit() as uow:
            await self._transactions(uow).meter(
                station_id, evse_id, connector_id, ocpp_transaction_id, readings
            )
            await uow.commit()

    async def _authorize(self, id_tag: str, *, concurrent_allowed: bool = False) -> Authorization:
        """A tag the station asks about: decided by the domain, recorded as an event."""
        async with self._unit() as uow:
            service = IdTagService(uow, self.identity.organization_id, self.ctx.clock)
            authorization = await service.authorize_presented(
                self.identity.station_id, id_tag, concurrent_allowed=concurrent_allowed
            )
            await uow.commit()
        return authorization
