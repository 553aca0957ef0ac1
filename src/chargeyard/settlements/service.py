"""Recording settlements, linked to the transaction they name, each with a `settlement.received`
event. Never commits."""

import dataclasses

from chargeyard.clock import Clock
from chargeyard.events.payloads import SETTLEMENT_RECEIVED, SettlementReceived
from chargeyard.events.recorder import record_event
from chargeyard.settlements.domain import Settlement
from chargeyard.settlements.models import SettlementRow
from chargeyard.settlements.repository import SettlementRepository
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.transactions.repository import TransactionRepository


class SettlementService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.settlements = SettlementRepository(uow.session, organization_id)
        self.transactions = TransactionRepository(uow.session, organization_id)

    async def record(self, station_id: str, settlement: Settlement) -> SettlementRow:
        """Store one attempt. A transaction id the station names but Chargeyard does not know is
        kept as reported, unlinked."""
        transaction_id = None
        if settlement.ocpp_transaction_id is not None:
            found = await self.transactions.by_ocpp_id(station_id, settlement.ocpp_transaction_id)
            transaction_id = None if found is None else found.id
        company = settlement.vat_company
        row = self.settlements.add(
            SettlementRow(
                organization_id=self.organization_id,
                station_id=station_id,
                transaction_id=transaction_id,
                ocpp_transaction_id=settlement.ocpp_transaction_id,
                psp_ref=settlement.psp_ref,
                status=settlement.status.value,
                status_info=settlement.status_info,
                amount=settlement.amount,
                settled_at=settlement.settled_at,
                receipt_id=settlement.receipt_id,
                receipt_url=settlement.receipt_url,
                vat_number=settlement.vat_number,
                vat_company=None if company is None else dataclasses.asdict(company),
                received_at=self.clock(),
            )
        )
        await self.uow.session.flush()
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=SETTLEMENT_RECEIVED,
            occurred_at=settlement.settled_at,
            station_id=station_id,
            transaction_id=transaction_id,
            data=SettlementReceived(
                {
                    "id": row.id,
                    "station_id": station_id,
                    "transaction_id": transaction_id,
                    "ocpp_transaction_id": settlement.ocpp_transaction_id,
                    "psp_ref": settlement.psp_ref,
                    "status": settlement.status.value,
                    "amount": str(settlement.amount),
                    "receipt_id": settlement.receipt_id,
                }
            ),
        )
        return row
