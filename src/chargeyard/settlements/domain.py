"""Payment settlements and VAT numbers, as stations with a payment terminal report them (OCPP 2.1).

A settlement is one attempt by the station's payment terminal to settle a charging session (an
ad hoc card payment): it may fail, be rejected or be cancelled before a transaction started, so
each attempt is kept. Money is a `Decimal` in the currency the station is configured for. Pure
values: the wire shapes are the OCPP adapter's business.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class PaymentStatus(StrEnum):
    SETTLED = "Settled"
    CANCELED = "Canceled"
    REJECTED = "Rejected"
    FAILED = "Failed"


@dataclass(frozen=True)
class Company:
    """The company a receipt is made out to (OCPP's AddressType)."""

    name: str
    address1: str
    city: str
    country: str
    address2: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True)
class Settlement:
    """`ocpp_transaction_id` is the station's transaction id, absent when the payment was
    cancelled before a transaction started."""

    psp_ref: str
    status: PaymentStatus
    amount: Decimal
    settled_at: datetime
    ocpp_transaction_id: str | None = None
    status_info: str | None = None
    receipt_id: str | None = None
    receipt_url: str | None = None
    vat_number: str | None = None
    vat_company: Company | None = None


@dataclass(frozen=True)
class VatCheck:
    """A driver typed a VAT number at the station to get a company receipt."""

    station_id: str
    vat_number: str
    evse_id: int | None = None


@dataclass(frozen=True)
class VatVerdict:
    """`company` is the registered holder of an accepted number; a refusal says why, with a
    reason code of at most 20 characters (what OCPP's StatusInfo allows)."""

    accepted: bool
    company: Company | None = None
    reason_code: str | None = None
    reason: str | None = None
