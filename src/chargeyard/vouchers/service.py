"""Voucher use cases: creating and disabling codes, redeeming one for a driver, and crediting a
held percentage voucher against the driver's next session charge. Never commits.

Redemption is race-safe: the voucher's redemption count moves by one conditional UPDATE
(`VoucherRepository.claim`), so of two concurrent redemptions of a single-use code exactly one
succeeds and the other is a 409; the per-driver limit is checked after that UPDATE, which holds
the voucher's row until the commit.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from chargeyard.clock import Clock, as_utc
from chargeyard.drivers.domain import EntryKind
from chargeyard.drivers.models import Driver
from chargeyard.drivers.service import Booking, DriverService
from chargeyard.errors import Conflict, Invalid
from chargeyard.money import is_currency, money_text
from chargeyard.storage.base import new_id
from chargeyard.storage.session import flushed_unique
from chargeyard.storage.unit_of_work import UnitOfWork
from chargeyard.vouchers.domain import (
    RedemptionStatus,
    Terms,
    VoucherKind,
    VoucherStatus,
    code_key,
    percentage_credit,
    refusal,
    terms_problem,
)
from chargeyard.vouchers.models import Voucher, VoucherRedemption
from chargeyard.vouchers.repository import VoucherRepository


@dataclass(frozen=True)
class VoucherDraft:
    code: str
    kind: str
    currency: str
    amount: Decimal | None = None
    percent: Decimal | None = None
    max_amount: Decimal | None = None
    expires_at: datetime | None = None
    max_redemptions: int | None = 1
    per_driver_limit: int = 1
    description: str | None = None


class VoucherService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.vouchers = VoucherRepository(uow.session, organization_id)

    async def create(self, draft: VoucherDraft) -> Voucher:
        if draft.kind not in {k.value for k in VoucherKind}:
            raise Invalid("kind: amount or percentage")
        if not is_currency(draft.currency):
            raise Invalid("currency: an ISO 4217 code such as EUR")
        problem = terms_problem(
            Terms(
                VoucherKind(draft.kind),
                draft.amount,
                draft.percent,
                draft.max_amount,
                draft.max_redemptions,
                draft.per_driver_limit,
            )
        )
        if problem is not None:
            raise Invalid(problem)
        code = draft.code.strip()
        if await self.vouchers.by_code(code) is not None:
            raise Conflict(f"a voucher with code {code!r} exists already")
        voucher = Voucher(
            id=new_id(),
            organization_id=self.organization_id,
            code=code,
            code_key=code_key(code),
            kind=draft.kind,
            amount=draft.amount,
            percent=draft.percent,
            max_amount=draft.max_amount,
            currency=draft.currency,
            expires_at=draft.expires_at,
            max_redemptions=draft.max_redemptions,
            per_driver_limit=draft.per_driver_limit,
            redemptions=0,
            status=VoucherStatus.ACTIVE.value,
            description=draft.description,
            revision=1,
        )
        self.vouchers.add(voucher)
        if not await flushed_unique(self.uow.session):  # the same code created concurrently
            raise Conflict(f"a voucher with code {code!r} exists already")
        return voucher

    def disable(self, voucher: Voucher) -> Voucher:
        """A disabled code cannot be redeemed any more; what it credited stays credited, and a
        percentage voucher a driver holds already still applies to their next session."""
        if voucher.status != VoucherStatus.DISABLED.value:
            voucher.status = VoucherStatus.DISABLED.value
            voucher.touch()
        return voucher

    async def redeem(self, driver: Driver, code: str) -> VoucherRedemption:
        now = self.clock()
        voucher = await self.vouchers.by_code(code)
        if voucher is None:
            raise Invalid("code: no voucher has this code")
        if voucher.currency != driver.currency:
            raise Invalid(
                f"code: this voucher is in {voucher.currency}; the driver's ledger is in "
                f"{driver.currency}"
            )
        reason = refusal(
            VoucherStatus(voucher.status),
            None if voucher.expires_at is None else as_utc(voucher.expires_at),
            voucher.redemptions,
            voucher.max_redemptions,
            now,
        )
        if reason is not None:
            raise Conflict(reason)
        if not await self.vouchers.claim(voucher, now):
            raise Conflict(
                refusal(
                    VoucherStatus(voucher.status),
                    None,
                    voucher.redemptions,
                    voucher.max_redemptions,
                    now,
                )
                or "this voucher cannot be redeemed"
            )
        if await self.vouchers.redeemed_by(voucher.id, driver.id) >= voucher.per_driver_limit:
            raise Conflict(
                f"this driver has redeemed this voucher {voucher.per_driver_limit} time(s), "
                "its limit per driver"
            )
        redemption = VoucherRedemption(
            id=new_id(),
            organization_id=self.organization_id,
            voucher_id=voucher.id,
            driver_id=driver.id,
            status=RedemptionStatus.PENDING.value,
            currency=voucher.currency,
            redeemed_at=now,
        )
        self.vouchers.add_redemption(redemption)
        if voucher.kind == VoucherKind.AMOUNT.value:
            assert voucher.amount is not None
            entry = await DriverService(self.uow, self.organization_id, self.clock).book(
                driver,
                Booking(
                    EntryKind.VOUCHER,
                    voucher.amount,
                    voucher.currency,
                    f"voucher {voucher.code}",
                ),
            )
            redemption.status = RedemptionStatus.BOOKED.value
            redemption.amount, redemption.entry_id = voucher.amount, entry.id
            redemption.applied_at = now
        await self.uow.session.flush()
        return redemption

    async def discount_session(
        self, driver: Driver, cdr_id: str, charge: Decimal, currency: str
    ) -> Decimal:
        """Credit the driver's oldest held percentage voucher against a session charge just
        booked (`charge`: what the driver pays after any subscription discount). Returns the
        credit."""
        if charge <= 0:
            return Decimal(0)
        redemption = await self.vouchers.pending_for(driver.id, currency)
        if redemption is None:
            return Decimal(0)
        voucher = await self.vouchers.get(redemption.voucher_id)
        assert voucher.percent is not None
        credit = percentage_credit(charge, voucher.percent, voucher.max_amount, currency)
        redemption.status = RedemptionStatus.APPLIED.value
        redemption.cdr_id, redemption.applied_at = cdr_id, self.clock()
        redemption.amount = credit
        if credit > 0:
            entry = await DriverService(self.uow, self.organization_id, self.clock).book(
                driver,
                Booking(
                    EntryKind.VOUCHER,
                    credit,
                    currency,
                    f"voucher {voucher.code}: {voucher.percent.normalize():f} % of "
                    f"{money_text(charge, currency)}",
                    cdr_id=cdr_id,
                ),
            )
            redemption.entry_id = entry.id
        return credit
