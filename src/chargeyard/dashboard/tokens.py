"""Administration of API tokens, for admins only (as `/api/v1/tokens`): the organization's live
tokens, issuing one (its secret is on the answer to that form and nowhere else, ever) and
revoking one, through `UserService`."""

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.dashboard.repository import DashboardRepository
from chargeyard.errors import Conflict, Forbidden, Invalid
from chargeyard.organizations.domain import Role
from chargeyard.organizations.repository import TokenRepository
from chargeyard.organizations.schemas import TokenCreate
from chargeyard.organizations.service import IssuedToken, UserService
from chargeyard.server_context import ServerContext
from chargeyard.storage.repository import Page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

ROLES = tuple(role.value for role in Role)
LABELS = {"name": "Name", "role": "Role", "service": "Service token"}
REFUSED = (Invalid, Conflict, Forbidden)
"""What the form answers on itself: a broken field (422), a role above the caller's (403)."""


async def tokens_page(
    request: Request,
    ctx: ServerContext,
    caller: SignedIn,
    page: int,
    issued: IssuedToken | None = None,
    status_code: int = 200,
    form: FieldForm | None = None,
) -> Response:
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        found = await TokenRepository(uow.session, organization_id).search(
            Page((page - 1) * PAGE_SIZE, PAGE_SIZE)
        )
        owners = await DashboardRepository(uow.session, organization_id).user_emails(
            t.user_id for t in found.items if t.user_id is not None
        )
    context = base_context(caller, "tokens") | {
        "tokens": found.items,
        "owners": owners,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "roles": ROLES,
        "issued": issued,
        "form": form or FieldForm({"role": Role.VIEWER.value}, labels=LABELS),
        "role_choices": [(role, role) for role in ROLES],
    }
    return render(request, "tokens.html", context, status_code)


@router.get("/tokens")
async def tokens(
    request: Request, caller: PageCaller, ctx: Server, page: PageNumber = 1
) -> Response:
    check_role(caller.principal, Role.ADMIN)
    return await tokens_page(request, ctx, caller, page)


@router.post("/tokens")
async def issue_token(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """Answered with the page itself (201), the secret on it once: no redirect carries it,
    and the page is sent `Cache-Control: no-store`. A refused token comes back as sent, the
    refusal beside its field."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.ADMIN)
    try:
        body = validated(
            TokenCreate,
            {
                "name": fields.get("name", ""),
                "role": fields.get("role", ""),
                "service": "true" if fields.get("service") else "false",
            },
        )
        async with ctx.db.writing() as uow:
            issued = await UserService(uow, caller.organization_id, ctx.clock).issue_token(
                caller, body.role, body.name, service=body.service, user_id=None
            )
            await uow.commit()
    except REFUSED as refusal:
        form = refused(fields, LABELS, refusal, "role", keep=("service",))
        return await tokens_page(request, ctx, signed_in, 1, None, refusal.status, form)
    return await tokens_page(request, ctx, signed_in, 1, issued, status.HTTP_201_CREATED)


@router.post("/tokens/{token_id}/revoke")
async def revoke_token(token_id: str, acting: ActingCaller, ctx: Server) -> Response:
    signed_in, _fields = acting
    caller = check_role(signed_in.principal, Role.ADMIN)
    async with ctx.db.writing() as uow:
        service = UserService(uow, caller.organization_id, ctx.clock)
        service.revoke_token(await service.tokens.get(token_id))
        await uow.commit()
    return RedirectResponse("/tokens", status.HTTP_303_SEE_OTHER)
