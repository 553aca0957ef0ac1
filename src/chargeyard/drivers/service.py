"""Driver use cases: managing drivers and their tags, and every movement of their money.
Never commits.

Each ledger entry records a `driver.balance_changed` event in the same transaction, with the
balance after it. Session charges are booked when a CDR is issued (`cdrs/service.py`), refunds
when one is credited.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chargeyard.clock import Clock
from chargeyard.drivers.domain import (
    DriverStatus,
    EntryKind,
    PaymentMode,
    Standing,
    signed,
    standing,
)
from chargeyard.drivers.models import Driver, LedgerEntry, Payment
from chargeyard.drivers.payments import ManualPayments, PaymentProvider, PaymentRequest
from chargeyard.drivers.repository import DriverRepository
from chargeyard.errors import Conflict, Invalid
from chargeyard.events.payloads import (
    DRIVER_BALANCE_CHANGED,
    DRIVER_CREATED,
    DRIVER_DELETED,
    DRIVER_UPDATED,
    DriverBalanceChanged,
    DriverEvent,
    DriverUpdated,
    EventKind,
    P,
)
from chargeyard.events.recorder import record_event
from chargeyard.id_tags.models import IdTag
from chargeyard.id_tags.repository import IdTagRepository
from chargeyard.money import is_currency, money_text
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.tariffs.domain import session_minimum
from chargeyard.tariffs.service import TariffService


@dataclass(frozen=True)
class DriverDraft:
    name: str
    email: str
    status: str = DriverStatus.ENABLED.value
    payment_mode: str = PaymentMode.POSTPAID.value
    currency: str = "EUR"
    id_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Booking:
    kind: EntryKind
    amount: Decimal  # as stated; `signed()` gives it its direction
    currency: str
    description: str | None = None
    cdr_id: str | None = None
    payment_id: str | None = None


class DriverService:
    def __init__(
        self,
        uow: UnitOfWork,
        organization_id: str,
        clock: Clock,
        payments: PaymentProvider | None = None,
    ) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.drivers = DriverRepository(uow.session, organization_id)
        self.payments = payments or ManualPayments()

    async def create(self, draft: DriverDraft) -> Driver:
        _check(draft.status, draft.payment_mode, draft.currency)
        if await self.drivers.by_email(draft.email) is not None:
            raise Conflict(f"a driver with e-mail {draft.email!r} exists already")
        driver = Driver(
            id=new_id(),
            organization_id=self.organization_id,
            name=draft.name,
            email=draft.email,
            status=draft.status,
            payment_mode=draft.payment_mode,
            currency=draft.currency,
            revision=1,
        )
        self.drivers.add(driver)
        await self.uow.session.flush()
        for value in draft.id_tags:
            await self.link_tag(driver, value)
        self._event(DRIVER_CREATED, DriverEvent(driver_id=driver.id))
        return driver

    async def update(self, driver: Driver, changes: dict[str, Any]) -> Driver:
        _check(
            changes.get("status", driver.status),
            changes.get("payment_mode", driver.payment_mode),
            changes.get("currency", driver.currency),
        )
        if changes.get("currency", driver.currency) != driver.currency and (
            await self.drivers.has_entries(driver.id)
        ):
            raise Conflict("the currency of a driver with ledger entries cannot change")
        if changes.get("email") not in (None, driver.email) and (
            await self.drivers.by_email(changes["email"]) is not None
        ):
            raise Conflict(f"a driver with e-mail {changes['email']!r} exists already")
        for name, value in changes.items():
            setattr(driver, name, value)
        driver.touch()
        self._event(DRIVER_UPDATED, DriverUpdated(driver_id=driver.id, changed=sorted(changes)))
        return driver

    async def delete(self, driver: Driver) -> None:
        if await self.drivers.has_history(driver.id):
            raise Conflict(
                "a driver with ledger entries, subscriptions or vouchers is kept as a billing "
                "record; disable it instead"
            )
        await self.drivers.delete(driver)
        self._event(DRIVER_DELETED, DriverEvent(driver_id=driver.id))

    async def link_tag(self, driver: Driver, value: str) -> None:
        tag = await IdTagRepository(self.uow.session, self.organization_id).by_value(value)
        if tag is None:
            raise Invalid(f"id_tags: ID tag {value!r} does not exist")
        link = await self.drivers.link_of(tag)
        if link is not None:
            if link.driver_id == driver.id:
                return
            raise Conflict(f"ID tag {value!r} belongs to another driver")
        await self.drivers.link(driver.id, tag)

    async def unlink_tag(self, driver: Driver, value: str) -> None:
        tag = await IdTagRepository(self.uow.session, self.organization_id).by_value(value)
        link = None if tag is None else await self.drivers.link_of(tag)
        if link is None or link.driver_id != driver.id:
            raise Invalid(f"ID tag {value!r} is not linked to this driver")
        await self.drivers.unlink(link)

    async def balance(self, driver: Driver) -> Decimal:
        return (await self.drivers.balances([driver.id]))[driver.id]

    async def top_up(
        self, driver: Driver, amount: Decimal, currency: str, reference: str | None
    ) -> LedgerEntry:
        """Money the driver paid in, collected by the payment provider and then booked."""
        if amount <= 0:
            raise Invalid("amount: a top-up is positive")
        self._same_currency(driver, currency)
        result = await self.payments.collect(PaymentRequest(driver.id, amount, currency, reference))
        payment = Payment(
            id=new_id(),
            organization_id=self.organization_id,
            driver_id=driver.id,
            provider=result.provider,
            status=result.status,
            amount=amount,
            currency=currency,
            reference=result.reference,
            created_at=self.clock(),
        )
        self.drivers.add_payment(payment)
        if not result.succeeded:
            raise Conflict(f"the payment provider refused the payment ({result.status})")
        return await self.book(
            driver, Booking(EntryKind.TOP_UP, amount, currency, reference, payment_id=payment.id)
        )

    async def book(self, driver: Driver, booking: Booking) -> LedgerEntry:
        """Append one entry to the driver's ledger."""
        self._same_currency(driver, booking.currency)
        if booking.amount == 0:
            raise Invalid("amount: an entry moves money")
        balance_before = await self.balance(driver)
        entry = LedgerEntry(
            organization_id=self.organization_id,
            driver_id=driver.id,
            kind=booking.kind.value,
            amount=signed(booking.kind, booking.amount),
            currency=booking.currency,
            description=booking.description,
            cdr_id=booking.cdr_id,
            payment_id=booking.payment_id,
            created_at=self.clock(),
        )
        self.drivers.add_entry(entry)
        await self.uow.session.flush()
        after = balance_before + entry.amount
        self._event(
            DRIVER_BALANCE_CHANGED,
            DriverBalanceChanged(
                {
                    "driver_id": driver.id,
                    "entry_id": entry.id,
                    "kind": entry.kind,
                    "direction": "credit" if entry.amount > 0 else "debit",
                    "amount": money_text(abs(entry.amount), driver.currency),
                    "balance": money_text(after, driver.currency),
                    "currency": driver.currency,
                    "cdr_id": entry.cdr_id,
                }
            ),
        )
        return entry

    async def standing_at(self, tag: IdTag, station_id: str | None) -> Standing | None:
        """What the tag's driver may do at the station; None when no driver holds the tag (one
        primary-key lookup: the common case on the authorization path costs little). Without a
        station (a tag checked outside a session start) only the status counts."""
        link = await self.drivers.link_of(tag)
        if link is None:
            return None
        return await self.standing_of(link.driver_id, station_id, id_tag=tag.value)

    async def standing_of(
        self, driver_id: str, station_id: str | None, *, id_tag: str | None = None
    ) -> Standing:
        """`standing_at` for a tag whose driver is known already: a prepaid balance is held to
        the tariff the session would have, a tariff group's for `id_tag` included."""
        driver = await self.drivers.get(driver_id)
        mode = PaymentMode(driver.payment_mode)
        if station_id is None or mode is PaymentMode.POSTPAID:
            return Standing(driver.status == DriverStatus.ENABLED.value, True)
        priced = await TariffService(self.uow, self.organization_id, self.clock).pricing(
            station_id, self.clock(), id_tag=id_tag
        )
        return standing(
            DriverStatus(driver.status),
            mode,
            await self.balance(driver),
            driver.currency,
            None if priced is None else session_minimum(priced.definition),
            None if priced is None else priced.definition.currency,
        )

    def _same_currency(self, driver: Driver, currency: str) -> None:
        if currency != driver.currency:
            raise Invalid(f"currency: this driver's ledger is in {driver.currency}")

    def _event(self, kind: EventKind[P], data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=data,
        )


def _check(status: str, payment_mode: str, currency: str) -> None:
    if status not in {s.value for s in DriverStatus}:
        raise Invalid("status: enabled or disabled")
    if payment_mode not in {m.value for m in PaymentMode}:
        raise Invalid("payment_mode: prepaid or postpaid")
    if not is_currency(currency):
        raise Invalid("currency: an ISO 4217 code such as EUR")
