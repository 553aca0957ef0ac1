"""VAT number validation, behind a one-method interface.

Validating a VAT number needs an outside registry (the EU's VIES, a national one, a billing
provider), never a guess by Chargeyard. `NoVatValidation` is what a deployment without such a
service gets: every number is refused with the reason `NoVatValidation`, so the station can tell
the driver why instead of printing a receipt for an unchecked company.
"""

from abc import ABC, abstractmethod

from chargeyard.settlements.domain import VatCheck, VatVerdict

NO_VALIDATION = "NoVatValidation"


class VatValidator(ABC):
    @abstractmethod
    async def validate(self, check: VatCheck) -> VatVerdict:
        """Whether the number is valid, and the company that holds it."""


class NoVatValidation(VatValidator):
    REASON = "no VAT number validation service is configured on this CSMS"

    async def validate(self, check: VatCheck) -> VatVerdict:
        return VatVerdict(False, reason_code=NO_VALIDATION, reason=self.REASON)
