"""All SQL about hardware templates."""

from datetime import datetime

from chargeyard.hardware_templates.models import HardwareTemplate
from chargeyard.storage.repository import Page, PageResult, ScopedRepository


class HardwareTemplateRepository(ScopedRepository[HardwareTemplate]):
    model = HardwareTemplate
    noun = "Hardware template"

    async def matching(self, vendor: str | None, model: str | None) -> HardwareTemplate | None:
        """The template for a vendor and model, compared case-insensitively."""
        if not vendor or not model:
            return None
        result = await self.session.execute(
            self.query().where(
                HardwareTemplate.vendor_key == vendor.lower(),
                HardwareTemplate.model_key == model.lower(),
            )
        )
        return result.scalars().first()

    async def search(
        self, page: Page, *, updated_since: datetime | None = None
    ) -> PageResult[HardwareTemplate]:
        return await self.page(
            self.query(),
            page,
            order_by=[HardwareTemplate.vendor_key, HardwareTemplate.model_key],
            updated_since=updated_since,
        )
