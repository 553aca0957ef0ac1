"""Reading back what OCPP 2.x stations hold as ChargingStationExternalConstraints.

A 2.x station's external system (an EMS, the grid operator) limits it with a profile of that
purpose, which the CSMS may not set or clear but may read: GetChargingProfiles for that purpose,
answered by ReportChargingProfiles. A station need not announce such a limit (NotifyChargingLimit
is sent only for changes above its LimitChangeSignificance, and it may hold one from before it
booted), and when it does, the notification need not carry the schedule. So smart charging reads
a managed 2.x station's external constraints when its boot is accepted (not while it is Pending:
Chargeyard takes nothing but BootNotification from a station it has not accepted), when it is
moved (onto a circuit), whenever it notifies a limit and once a period
(`ControllerConfig.constraints_read_period_s`: a change made without a notification is seen
within it); what a read finds replaces what the last one found
(`charging_limits.service.ChargingLimitService.record_read`, from the protocol adapter's
ReportChargingProfiles handler) and is a constraint of the plan (`reported_limits.py`). The
event `charging_limit.read` that a read's answers raise starts a control step.

Reads are sent beside the control steps, one at a time per station (a read asked for while one
runs is sent once it ends, so the last read always follows the last reason for one).
"""

import asyncio
import contextlib
import logging

from chargeyard.charging_limits.service import ChargingLimitService
from chargeyard.charging_profiles.domain import ReportedPurpose
from chargeyard.clock import Clock
from chargeyard.commands.device_catalog import request_id
from chargeyard.commands.device_management import GetChargingProfiles
from chargeyard.commands.dispatcher import Dispatcher
from chargeyard.load_management.admission_repository import AdmissionRepository
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.database import Database

logger = logging.getLogger(__name__)

OCPP_16 = "ocpp1.6"
"""The one version without external constraints (its stations report no such profile)."""
NO_PROFILES = "NoProfiles"


class ExternalConstraintReads:
    def __init__(
        self, db: Database, dispatcher: Dispatcher, clock: Clock, timeout_s: float
    ) -> None:
        self.db = db
        self.dispatcher = dispatcher
        self.clock = clock
        self.timeout_s = timeout_s
        self._running: dict[tuple[str, str], asyncio.Task[None]] = {}
        self._again: set[tuple[str, str]] = set()

    def request(self, organization_id: str, station_id: str) -> None:
        """Read the station's external constraints soon (once more if a read is running)."""
        key = (organization_id, station_id)
        if key in self._running:
            self._again.add(key)
            return
        task = asyncio.create_task(self._reads(key), name=f"external-constraints-{station_id}")
        self._running[key] = task

    async def stop(self) -> None:
        for task in tuple(self._running.values()):
            task.cancel()
        for task in tuple(self._running.values()):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _reads(self, key: tuple[str, str]) -> None:
        try:
            while True:
                self._again.discard(key)
                try:
                    await self.read(*key)
                except Exception:
                    logger.exception("reading the external constraints of %s failed", key[1])
                if key not in self._again:
                    return
        finally:
            self._running.pop(key, None)

    async def read(self, organization_id: str, station_id: str) -> str | None:
        """Ask a managed, connected 2.x station for its external constraints; returns its
        answer's status (None: not asked, or no answer). A NoProfiles answer clears what an
        earlier read found; an Accepted one is followed by the reports that replace it."""
        async with self.db.writing() as uow:
            station = await StationRepository(uow.session, organization_id).find(station_id)
            if station is None:
                return None
            admissions = AdmissionRepository(uow.session, organization_id)
            if (
                station.protocol in (None, OCPP_16)
                or not station.connected
                or not await admissions.managed(station.circuit_id)
            ):
                return None
            read_id = request_id()
            limits = ChargingLimitService(uow, organization_id, self.clock)
            await limits.start_read(station_id, read_id)
            await uow.commit()
        command = GetChargingProfiles(
            request_id=read_id, purpose=ReportedPurpose.EXTERNAL_CONSTRAINTS
        )
        outcome = await self.dispatcher.send(station_id, command, self.timeout_s)
        if outcome.answer is None:
            logger.info(
                "no answer to a read of %s's external constraints: %s", station_id, outcome.error
            )
            return None
        if outcome.answer.status == NO_PROFILES:
            async with self.db.writing() as uow:
                limits = ChargingLimitService(uow, organization_id, self.clock)
                await limits.read_nothing(station_id, read_id)
                await uow.commit()
        return outcome.answer.status
