"""EVSE wiring use cases: how an EVSE (or, EVSE 0, every EVSE of its station) is fed. Never
commits; a change records an event, which wakes the smart-charging controller."""

from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Invalid
from chargeyard.events.payloads import EVSE_WIRING_UPDATED, EvseWiringUpdated
from chargeyard.events.recorder import record_event
from chargeyard.evse_wiring.models import EvseWiringRow
from chargeyard.evse_wiring.repository import WiringRepository
from chargeyard.smart_charging.electrical import ElectricalSpec, Line, Supply
from chargeyard.stations.repository import StationRepository
from chargeyard.storage.unit_of_work import UnitOfWork


class WiringService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.wiring = WiringRepository(uow.session, organization_id)
        self.clock = clock

    async def set(self, station_id: str, evse_id: int, fields: dict[str, Any]) -> EvseWiringRow:
        await StationRepository(self.uow.session, self.organization_id).get(station_id)
        lines = [str(x) for x in fields.pop("lines")]
        try:
            ElectricalSpec(
                Supply(fields["supply"]),
                fields["voltage_v"],
                fields["power_factor"],
                tuple(Line(x) for x in lines),
            )
        except ValueError as error:
            raise Invalid(f"wiring: {error}") from None
        row = await self.wiring.of(station_id, evse_id)
        if row is None:
            row = EvseWiringRow(
                organization_id=self.organization_id, station_id=station_id, evse_id=evse_id
            )
            self.wiring.add(row)
        for name, value in fields.items():
            setattr(row, name, getattr(value, "value", value))
        row.lines = ",".join(lines)
        await self.uow.session.flush()
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=EVSE_WIRING_UPDATED,
            occurred_at=self.clock(),
            station_id=station_id,
            data=EvseWiringUpdated(station_id=station_id, evse_id=evse_id),
        )
        return row
