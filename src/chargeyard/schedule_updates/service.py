"""The limit a charging profile imposes on a station now, from the profile commands it
accepted. Reads only.

The command log holds what went on the wire, in the station's protocol version, so the caller
(the OCPP adapter of that version) passes a `ChangeReader` that turns one command into a
`ProfileChange`, or None for a command it does not understand. Smart charging's profiles are
not commands: they come from what its delivery holds in force (protocol-neutral already), and
take their place in the history at the time the station accepted them, so a later accepted
clear still removes them.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from chargeyard.clock import Clock
from chargeyard.load_management.in_force import profile_of
from chargeyard.schedule_updates.domain import (
    Installed,
    LimitInForce,
    ProfileChange,
    installed_profile,
    limit_in_force,
)
from chargeyard.schedule_updates.repository import ProfileHistoryRepository
from chargeyard.storage.unit_of_work import UnitOfWork

ChangeReader = Callable[[str, dict[str, Any], datetime], ProfileChange | None]
"""(OCPP action, wire payload, when the station accepted it) -> the change, if readable."""


class ScheduleUpdateService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.clock = clock
        self.history = ProfileHistoryRepository(uow.session, organization_id)

    async def current_limit(
        self, station_id: str, profile_id: int, read: ChangeReader
    ) -> LimitInForce | None:
        changes = []
        for record in reversed(await self.history.accepted(station_id)):
            if record.ocpp_action and record.ocpp_request and record.finished_at:
                change = read(record.ocpp_action, record.ocpp_request, record.finished_at)
                if change is not None:
                    changes.append(change)
        smart = await self.history.smart_charging(station_id, profile_id)
        if smart is not None and smart.profile is not None and smart.since is not None:
            changes.append(Installed(profile_of(smart.profile), smart.evse_id, smart.since))
            changes.sort(key=lambda change: change.at)
        installed = installed_profile(changes, profile_id)
        return None if installed is None else limit_in_force(installed, self.clock())
