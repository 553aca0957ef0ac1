"""CDR use cases: issuing a session's CDR (and booking its charge on the driver's ledger) and
crediting one. Never commits. A CDR is never changed: a wrong one is cancelled by its credit
CDR, which refunds the driver what the session cost them (its charge less the discounts booked
with it)."""

from decimal import Decimal
from typing import Any

from chargeyard.cdrs.domain import SessionFacts, credit_document, document
from chargeyard.cdrs.models import Cdr
from chargeyard.cdrs.repository import CdrRepository
from chargeyard.clock import Clock
from chargeyard.costing.domain import Cost
from chargeyard.drivers.domain import EntryKind
from chargeyard.drivers.models import Driver
from chargeyard.drivers.repository import DriverRepository
from chargeyard.drivers.service import Booking, DriverService
from chargeyard.errors import Conflict
from chargeyard.events.payloads import CDR_CREATED, CdrCreated
from chargeyard.events.recorder import record_event
from chargeyard.money import money_text
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.subscriptions.service import SubscriptionService
from chargeyard.vouchers.service import VoucherService


class CdrService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.cdrs = CdrRepository(uow.session, organization_id)
        self.drivers = DriverService(uow, organization_id, clock)

    async def issue(self, cost: Cost, tariff: dict[str, Any], facts: SessionFacts) -> Cdr:
        """The session's CDR; issuing twice returns the first (a stop is often retried)."""
        existing = await self.cdrs.for_transaction(facts.transaction_id)
        if existing is not None:
            return existing
        driver = None
        if facts.id_tag is not None:
            driver = await DriverRepository(self.uow.session, self.organization_id).for_tag(
                facts.id_tag
            )
        cdr_id = new_id()
        cdr = Cdr(
            id=cdr_id,
            organization_id=self.organization_id,
            transaction_id=facts.transaction_id,
            station_id=facts.station_id,
            id_tag=facts.id_tag,
            driver_id=None if driver is None else driver.id,
            currency=cost.currency,
            total_excl_tax=cost.total.excl_tax,
            total_incl_tax=cost.total.incl_tax,
            credit=False,
            started_at=facts.started_at,
            stopped_at=facts.stopped_at,
            document=document(cdr_id, cost, tariff, facts),
            created_at=self.clock(),
        )
        self.cdrs.add(cdr)
        self._event(cdr)
        if driver is not None and cost.total.incl_tax > 0 and driver.currency == cost.currency:
            await self.drivers.book(
                driver,
                Booking(
                    EntryKind.SESSION_CHARGE,
                    cost.total.incl_tax,
                    cost.currency,
                    f"session {facts.transaction_id}",
                    cdr_id=cdr_id,
                ),
            )
            await self._discount(driver, cdr_id, cost)
        return cdr

    async def _discount(self, driver: Driver, cdr_id: str, cost: Cost) -> None:
        """What the driver's subscription, then a held percentage voucher, take off the charge:
        credits on the ledger next to it, with the CDR's id (the CDR keeps the session's price)."""
        discount = await SubscriptionService(
            self.uow, self.organization_id, self.clock
        ).discount_session(driver, cdr_id, cost)
        await VoucherService(self.uow, self.organization_id, self.clock).discount_session(
            driver, cdr_id, cost.total.incl_tax - discount, cost.currency
        )

    async def credit(self, original: Cdr, remark: str | None) -> Cdr:
        if original.credit:
            raise Conflict("a credit CDR cannot be credited")
        if await self.cdrs.credit_of(original.id) is not None:
            raise Conflict("this CDR has been credited already")
        cdr_id = new_id()
        credit = Cdr(
            id=cdr_id,
            organization_id=self.organization_id,
            transaction_id=original.transaction_id,
            station_id=original.station_id,
            id_tag=original.id_tag,
            driver_id=original.driver_id,
            currency=original.currency,
            total_excl_tax=-original.total_excl_tax,
            total_incl_tax=-original.total_incl_tax,
            credit=True,
            credit_reference_id=original.id,
            started_at=original.started_at,
            stopped_at=original.stopped_at,
            document=credit_document(cdr_id, original.document, remark),
            created_at=self.clock(),
        )
        self.cdrs.add(credit)
        self._event(credit)
        # What the driver paid for the session: its charge less the credits booked with it.
        paid = Decimal(0)
        if original.driver_id is not None:
            paid = -await self.drivers.drivers.net_for(original.id)
        if original.driver_id is not None and paid > 0:
            driver = await self.drivers.drivers.get(original.driver_id)
            await self.drivers.book(
                driver,
                Booking(
                    EntryKind.REFUND,
                    paid,
                    original.currency,
                    remark or f"credit of CDR {original.id}",
                    cdr_id=cdr_id,
                ),
            )
        return credit

    def _event(self, cdr: Cdr) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=CDR_CREATED,
            occurred_at=self.clock(),
            station_id=cdr.station_id,
            transaction_id=cdr.transaction_id,
            data=CdrCreated(
                {
                    "cdr_id": cdr.id,
                    "transaction_id": cdr.transaction_id,
                    "currency": cdr.currency,
                    "total_excl_tax": money_text(cdr.total_excl_tax, cdr.currency),
                    "total_incl_tax": money_text(cdr.total_incl_tax, cdr.currency),
                    "credit": cdr.credit,
                    "credit_reference_id": cdr.credit_reference_id,
                    "driver_id": cdr.driver_id,
                }
            ),
        )
