"""OCPP 2.1 payment messages from stations with a payment terminal: settlements are stored and
linked to their transaction; VAT numbers go to the validation service, and without one they are
refused with the reason, never accepted unchecked."""

from typing import Any

from ocpp.v21.enums import Action

from chargeyard.events.payloads import VatNumberValidationDetails
from chargeyard.protocol.router import on
from chargeyard.protocol.v21 import translate
from chargeyard.protocol.v201.base import V2Session
from chargeyard.protocol.v201.security import status_info
from chargeyard.settlements.domain import VatCheck
from chargeyard.settlements.service import SettlementService
from chargeyard.settlements.vat import NoVatValidation, VatValidator
from chargeyard.station_reports.domain import ReportKind, StationReport


class PaymentHandlers(V2Session):
    vat_validator: VatValidator = NoVatValidation()

    @on(Action.notify_settlement)
    async def on_notify_settlement(self, **fields: Any) -> Any:
        """Chargeyard makes no receipts of its own, so the answer names none."""
        settlement = translate.settlement(fields)
        async with self._unit() as uow:
            service = SettlementService(uow, self.identity.organization_id, self.ctx.clock)
            await service.record(self.identity.station_id, settlement)
            await uow.commit()
        return self.result_types.NotifySettlement()

    @on(Action.vat_number_validation)
    async def on_vat_number_validation(
        self, vat_number: str, evse_id: int | None = None, **_: Any
    ) -> Any:
        check = VatCheck(self.identity.station_id, vat_number, evse_id)
        verdict = await self.vat_validator.validate(check)
        status = "Accepted" if verdict.accepted else "Rejected"
        company = translate.address(verdict.company)
        data = VatNumberValidationDetails(
            vat_number=vat_number, company=company, reason=verdict.reason
        )
        await self._record(
            StationReport(
                ReportKind.VAT_NUMBER_VALIDATION,
                self.ctx.clock(),
                data=data,
                evse_id=evse_id,
                status=status,
            )
        )
        return self.result_types.VatNumberValidation(
            status=status,
            vat_number=vat_number,
            evse_id=evse_id,
            company=company,
            status_info=status_info(verdict.reason_code, verdict.reason),
        )
