"""/api/v1/hardware-templates: the EVSE and connector layout of a vendor's model."""

from fastapi import APIRouter, Request, Response, status

from chargeyard.api.dependencies import (
    Operator,
    Paging,
    Reading,
    Server,
    UpdatedSince,
    Viewer,
    Writing,
    conditional_update,
    set_etag,
)
from chargeyard.api.schemas import ListOf, listing
from chargeyard.errors import Invalid
from chargeyard.hardware_templates.repository import HardwareTemplateRepository
from chargeyard.hardware_templates.schemas import (
    HardwareTemplateCreate,
    HardwareTemplateOut,
    HardwareTemplatePatch,
    HardwareTemplateReplace,
)
from chargeyard.hardware_templates.service import HardwareTemplateService
from chargeyard.stations.schemas import EvseIn

router = APIRouter(prefix="/hardware-templates", tags=["hardware-templates"])


def _layout(evses: list[EvseIn]) -> list[dict[str, object]]:
    if len({e.evse_id for e in evses}) < len(evses):
        raise Invalid("evses: EVSE ids repeat")
    return [e.model_dump(mode="json") for e in evses]


@router.get("", response_model=ListOf[HardwareTemplateOut])
async def list_templates(
    caller: Viewer, uow: Reading, paging: Paging, updated_since: UpdatedSince = None
) -> ListOf[HardwareTemplateOut]:
    result = await HardwareTemplateRepository(uow.session, caller.organization_id).search(
        paging, updated_since=updated_since
    )
    return listing(result, paging, HardwareTemplateOut)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=HardwareTemplateOut)
async def create_template(
    body: HardwareTemplateCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> HardwareTemplateOut:
    service = HardwareTemplateService(uow, caller.organization_id, ctx.clock)
    template = await service.create(body.vendor, body.model, body.name, _layout(body.evses))
    await uow.commit()
    set_etag(response, template.id, template.revision)
    response.headers["Location"] = f"/api/v1/hardware-templates/{template.id}"
    return HardwareTemplateOut.model_validate(template)


@router.get("/{template_id}", response_model=HardwareTemplateOut)
async def get_template(
    template_id: str, caller: Viewer, uow: Reading, response: Response
) -> HardwareTemplateOut:
    template = await HardwareTemplateRepository(uow.session, caller.organization_id).get(
        template_id
    )
    set_etag(response, template.id, template.revision)
    return HardwareTemplateOut.model_validate(template)


@router.put("/{template_id}", response_model=HardwareTemplateOut)
async def replace_template(
    template_id: str,
    body: HardwareTemplateReplace,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> HardwareTemplateOut:
    service = HardwareTemplateService(uow, caller.organization_id, ctx.clock)
    template = await service.templates.get(template_id)
    _layout(body.evses)
    await conditional_update(template, body, service.update, uow, request, response, replace=True)
    return HardwareTemplateOut.model_validate(template)


@router.patch("/{template_id}", response_model=HardwareTemplateOut)
async def update_template(
    template_id: str,
    body: HardwareTemplatePatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> HardwareTemplateOut:
    service = HardwareTemplateService(uow, caller.organization_id, ctx.clock)
    template = await service.templates.get(template_id)
    if body.evses is not None:
        _layout(body.evses)
    await conditional_update(template, body, service.update, uow, request, response, replace=False)
    return HardwareTemplateOut.model_validate(template)


@router.delete("/{template_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_template(template_id: str, caller: Operator, uow: Writing, ctx: Server) -> None:
    service = HardwareTemplateService(uow, caller.organization_id, ctx.clock)
    await service.delete(await service.templates.get(template_id))
    await uow.commit()
