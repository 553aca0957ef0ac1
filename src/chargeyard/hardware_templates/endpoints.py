"""/api/v1/hardware-templates: the EVSE and connector layout of a vendor's model, and laying it
out again on the stations of that model.

Templates are the organization's hardware catalogue: every caller reads all of them (a
site-scoped one too: it plans its own stations from them), re-applying one lays out only the
caller's stations, and only an operator of the whole organization changes the catalogue (a
template's layout is what every site's stations of that model get at boot; docs/access.md)."""

from fastapi import APIRouter, Request, Response, status

from chargeyard.api.dependencies import (
    Operator,
    OrganizationOperator,
    Paging,
    Reading,
    Server,
    UpdatedSince,
    Viewer,
    Writing,
    conditional_update,
    set_etag,
    to_change,
)
from chargeyard.api.query import StrictQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.hardware_templates.repository import HardwareTemplateRepository
from chargeyard.hardware_templates.schemas import (
    HardwareTemplateCreate,
    HardwareTemplateOut,
    HardwareTemplatePatch,
    HardwareTemplateReplace,
    KeptEvseOut,
    LayoutChangeOut,
    ReappliedOut,
    ReapplyIn,
    ReapplyOut,
    stored_layout,
)
from chargeyard.hardware_templates.service import HardwareTemplateService, Reapplied

router = APIRouter(prefix="/hardware-templates", tags=["hardware-templates"])


@router.get("", response_model=ListOf[HardwareTemplateOut], dependencies=[StrictQuery])
async def list_templates(
    caller: Viewer, uow: Reading, paging: Paging, updated_since: UpdatedSince = None
) -> ListOf[HardwareTemplateOut]:
    result = await HardwareTemplateRepository(uow.session, caller.organization_id).search(
        paging, updated_since=updated_since
    )
    return listing(result, paging, HardwareTemplateOut)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=HardwareTemplateOut)
async def create_template(
    body: HardwareTemplateCreate,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    response: Response,
) -> HardwareTemplateOut:
    service = HardwareTemplateService(uow, caller.organization_id, ctx.clock)
    template = await service.create(body.vendor, body.model, body.name, stored_layout(body.evses))
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
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> HardwareTemplateOut:
    service = HardwareTemplateService(uow, caller.organization_id, ctx.clock)
    stored_layout(body.evses)
    template = await conditional_update(
        service.templates, template_id, body, service.update, uow, request, response, replace=True
    )
    return HardwareTemplateOut.model_validate(template)


@router.patch("/{template_id}", response_model=HardwareTemplateOut)
async def update_template(
    template_id: str,
    body: HardwareTemplatePatch,
    caller: OrganizationOperator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> HardwareTemplateOut:
    service = HardwareTemplateService(uow, caller.organization_id, ctx.clock)
    if body.evses is not None:
        stored_layout(body.evses)
    template = await conditional_update(
        service.templates, template_id, body, service.update, uow, request, response, replace=False
    )
    return HardwareTemplateOut.model_validate(template)


@router.delete("/{template_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_template(
    template_id: str, caller: OrganizationOperator, uow: Writing, ctx: Server, request: Request
) -> None:
    """`If-Match` (optional): only the revision the caller read is deleted."""
    service = HardwareTemplateService(uow, caller.organization_id, ctx.clock)
    template = await to_change(service.templates, template_id, request)
    await service.delete(template)
    await uow.commit()


def _reapplied(done: Reapplied) -> ReappliedOut:
    return ReappliedOut(
        station_id=done.station_id,
        outcome=done.outcome.value,
        changes=[LayoutChangeOut.model_validate(c) for c in done.changes],
        kept=[
            KeptEvseOut(
                evse_id=k.evse_id,
                reason=k.reason.value,
                changes=[LayoutChangeOut.model_validate(c) for c in k.changes],
            )
            for k in done.kept
        ],
    )


@router.post("/{template_id}/apply", response_model=ReapplyOut)
async def reapply_template(
    template_id: str,
    body: ReapplyIn,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
) -> ReapplyOut:
    """Lay the template out again on stations already laid out (after the template changed):
    their planned EVSEs and connectors become the template's, except on an EVSE in use, which
    is kept as it is and listed (docs/estate.md). `If-Match` (optional) with the template's
    ETag applies only the revision the caller reviewed (in a dry run, say): 412 if it changed
    since."""
    service = HardwareTemplateService(uow, caller.organization_id, ctx.clock)
    template = await to_change(service.templates, template_id, request)
    done = await service.reapply(template, body.station_ids, body.dry_run)
    if not body.dry_run:
        await uow.commit()
    return ReapplyOut(
        hardware_template_id=template.id,
        revision=template.revision,
        dry_run=body.dry_run,
        stations=[_reapplied(r) for r in done],
    )
