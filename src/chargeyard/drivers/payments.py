"""Collecting money for a top-up, behind a one-method interface.

A real provider (a card acquirer, a bank transfer reconciler) implements `PaymentProvider`.
The built-in `ManualPayments` is an operator saying "this driver paid us this much" (cash, a
transfer seen on the bank statement): it records what it is told and never pretends to charge a
card.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PaymentRequest:
    driver_id: str
    amount: Decimal
    currency: str
    reference: str | None = None


@dataclass(frozen=True)
class PaymentResult:
    provider: str
    status: str  # "succeeded" or "failed"
    reference: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


class PaymentProvider(ABC):
    @abstractmethod
    async def collect(self, request: PaymentRequest) -> PaymentResult:
        """Collect the money, or say why not."""


class ManualPayments(PaymentProvider):
    async def collect(self, request: PaymentRequest) -> PaymentResult:
        return PaymentResult("manual", "succeeded", request.reference)
