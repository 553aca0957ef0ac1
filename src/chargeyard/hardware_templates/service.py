"""Hardware template use cases, and laying a template's layout out on a station. Never commits."""

from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Conflict
from chargeyard.events.recorder import record_event
from chargeyard.hardware_templates.models import HardwareTemplate
from chargeyard.hardware_templates.repository import HardwareTemplateRepository
from chargeyard.stations.layout import ConnectorDraft, LayoutService
from chargeyard.stations.models import Station
from chargeyard.storage.base import new_id
from chargeyard.storage.unit_of_work import UnitOfWork


class HardwareTemplateService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.templates = HardwareTemplateRepository(uow.session, organization_id)

    async def create(
        self, vendor: str, model: str, name: str | None, evses: list[dict[str, Any]]
    ) -> HardwareTemplate:
        await self._check_unique(vendor, model)
        template = HardwareTemplate(
            id=new_id(),
            organization_id=self.organization_id,
            name=name,
            vendor=vendor,
            model=model,
            vendor_key=vendor.lower(),
            model_key=model.lower(),
            evses=evses,
            revision=1,
        )
        self.templates.add(template)
        self._event("hardware_template.created", template)
        return template

    async def update(self, template: HardwareTemplate, changes: dict[str, Any]) -> HardwareTemplate:
        vendor = changes.get("vendor", template.vendor)
        model = changes.get("model", template.model)
        if (vendor.lower(), model.lower()) != (template.vendor_key, template.model_key):
            await self._check_unique(vendor, model)
        for name, value in changes.items():
            setattr(template, name, value)
        template.vendor_key, template.model_key = vendor.lower(), model.lower()
        template.touch()
        self._event("hardware_template.updated", template)
        return template

    async def delete(self, template: HardwareTemplate) -> None:
        await self.templates.delete(template)
        self._event("hardware_template.deleted", template)

    async def lay_out(self, station: Station, template: HardwareTemplate) -> None:
        """Plan the template's EVSEs and connectors on the station (adopting any it reported)."""
        layout = LayoutService(self.uow, self.organization_id, self.clock)
        for evse in template.evses:
            await layout.add_evse(
                station,
                int(evse["evse_id"]),
                [ConnectorDraft(**c) for c in evse.get("connectors", [])],
                evse.get("physical_reference"),
            )

    async def lay_out_matching(self, station: Station) -> bool:
        """A station without a planned layout that reports a vendor and model with a template
        gets the template's layout; True if it did."""
        if any(e.planned for e in station.evses):
            return False
        template = await self.templates.matching(station.vendor, station.model)
        if template is None or not template.evses:
            return False
        await self.lay_out(station, template)
        return True

    async def _check_unique(self, vendor: str, model: str) -> None:
        if await self.templates.matching(vendor, model) is not None:
            raise Conflict(f"a hardware template for {vendor} {model} exists already")

    def _event(self, type: str, template: HardwareTemplate) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            type=type,
            occurred_at=self.clock(),
            data={
                "hardware_template_id": template.id,
                "vendor": template.vendor,
                "model": template.model,
            },
        )
