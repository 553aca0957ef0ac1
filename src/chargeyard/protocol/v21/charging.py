"""OCPP 2.1 charging messages: battery swaps, priority charging switched at the station, and a
station pulling the current limit of a charging profile."""

from typing import Any

from ocpp.v21.enums import Action

from chargeyard.events.payloads import (
    BatterySwapDetails,
    PriorityChargingDetails,
    ScheduleUpdateRequestDetails,
)
from chargeyard.protocol.router import on
from chargeyard.protocol.v21 import translate
from chargeyard.protocol.v201.base import V2Session
from chargeyard.protocol.v201.security import status_info
from chargeyard.protocol.v201.shapes import number
from chargeyard.schedule_updates.service import ScheduleUpdateService
from chargeyard.station_reports.domain import ReportKind, StationReport
from chargeyard.transactions.service import TransactionService

NO_LIMIT = "NoLimitInForce"
NO_LIMIT_REASON = (
    "Chargeyard holds no accepted charging profile with this id for this station, or its "
    "schedule imposes no limit now"
)


class ChargingHandlers(V2Session):
    @on(Action.battery_swap)
    async def on_battery_swap(
        self,
        event_type: str,
        request_id: int,
        id_token: dict[str, Any],
        battery_data: list[dict[str, Any]],
        **_: Any,
    ) -> Any:
        data: BatterySwapDetails = {
            "id_token": id_token["id_token"],
            "token_type": id_token["type"],
            "batteries": battery_data,
        }
        report = StationReport(
            ReportKind.BATTERY_SWAP,
            self.ctx.clock(),
            data=data,
            request_id=request_id,
            evse_id=battery_data[0]["evse_id"],
            status=event_type,
        )
        await self._record(report)
        return self.result_types.BatterySwap()

    @on(Action.notify_priority_charging)
    async def on_notify_priority_charging(
        self, transaction_id: str, activated: bool, **_: Any
    ) -> Any:
        """Kept with Chargeyard's transaction id when the transaction is known."""
        async with self._unit() as uow:
            service = TransactionService(uow, self.identity.organization_id, self.ctx.clock)
            found = await service.find(self.identity.station_id, transaction_id)
            data: PriorityChargingDetails = {
                "ocpp_transaction_id": transaction_id,
                "transaction_id": None if found is None else found.id,
            }
            report = StationReport(
                ReportKind.PRIORITY_CHARGING,
                self.ctx.clock(),
                data=data,
                evse_id=None if found is None else found.evse_id,
                status="Activated" if activated else "Deactivated",
            )
            self._reports(uow).record(self.identity.station_id, report)
            await uow.commit()
        return self.result_types.NotifyPriorityCharging()

    @on(Action.pull_dynamic_schedule_update)
    async def on_pull_dynamic_schedule_update(self, charging_profile_id: int, **_: Any) -> Any:
        async with self._unit() as uow:
            service = ScheduleUpdateService(uow, self.identity.organization_id, self.ctx.clock)
            limit = await service.current_limit(
                self.identity.station_id, charging_profile_id, translate.profile_change
            )
            data = ScheduleUpdateRequestDetails(charging_profile_id=charging_profile_id)
            if limit is not None:
                data["limit"], data["unit"] = str(limit.limit), limit.unit.value
            report = StationReport(
                ReportKind.SCHEDULE_UPDATE_REQUEST,
                self.ctx.clock(),
                data=data,
                status="Rejected" if limit is None else "Accepted",
            )
            self._reports(uow).record(self.identity.station_id, report)
            await uow.commit()
        if limit is None:
            return self.result_types.PullDynamicScheduleUpdate(
                status="Rejected", status_info=status_info(NO_LIMIT, NO_LIMIT_REASON)
            )
        return self.result_types.PullDynamicScheduleUpdate(
            status="Accepted", schedule_update={"limit": number(limit.limit)}
        )
