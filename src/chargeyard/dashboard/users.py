"""Administration of users, for admins only (as `/api/v1/users`): the list, adding a user,
changing a user's role or whether they may sign in, and the sites an operator or viewer is
confined to, through `UserService`, which keeps the organization's last active admin and
checks a site list (site_scopes/) as the REST API's PATCH does."""

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import ActingCaller, PageCaller, SignedIn
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.field_form import FieldForm, refused
from chargeyard.dashboard.forms import form_values, validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.errors import Conflict, Invalid
from chargeyard.locations.repository import LocationRepository
from chargeyard.organizations.domain import Role
from chargeyard.organizations.repository import UserRepository
from chargeyard.organizations.schemas import UserCreate, UserPatch
from chargeyard.organizations.service import UserService
from chargeyard.server_context import ServerContext
from chargeyard.storage.repository import Page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

ROLES = tuple(role.value for role in Role)
# The locations offered as sites, by name: enough for an estate a form of checkboxes still
# serves; the REST API takes any location.
SITE_CHOICES = 500
LABELS = {
    "email": "E-mail",
    "name": "Name",
    "password": "Password (10 characters or more)",
    "role": "Role",
}
SHOWN_AGAIN = ("email", "name", "role")
"""What a refused new-user form shows again: never the password (docs/access.md)."""
REFUSED = (Invalid, Conflict)
"""What a form answers on the page: a broken field (422), an e-mail already taken or the last
active admin demoted (409)."""


@router.get("/users")
async def users(
    request: Request, caller: PageCaller, ctx: Server, page: PageNumber = 1
) -> Response:
    return await _users_page(request, caller, ctx, page)


async def _users_page(
    request: Request,
    caller: SignedIn,
    ctx: ServerContext,
    page: int,
    *,
    error: str | None = None,
    form: FieldForm | None = None,
    status_code: int = 200,
) -> Response:
    """The list, with each user's sites by name; `error` is a refused change of a listed user,
    shown above it; `form` the new-user form (as refused)."""
    check_role(caller.principal, Role.ADMIN)
    organization_id = caller.principal.organization_id
    async with ctx.db.reading() as uow:
        found = await UserRepository(uow.session, organization_id).search(
            Page((page - 1) * PAGE_SIZE, PAGE_SIZE)
        )
        locations = await LocationRepository(uow.session, organization_id).search(
            Page(0, SITE_CHOICES)
        )
    names = {location.id: location.name for location in locations.items}
    context = base_context(caller, "users") | {
        "users": found.items,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "roles": ROLES,
        "locations": locations.items,
        "more_locations": locations.total > len(locations.items),
        "sites": {user.id: _site_names(user.location_ids, names) for user in found.items},
        "error": error,
        "form": form or FieldForm({"role": Role.VIEWER.value}, labels=LABELS),
        "role_choices": [(role, role) for role in ROLES],
    }
    return render(request, "users.html", context, status_code)


def _site_names(location_ids: list[str] | None, names: dict[str, str]) -> list[str]:
    """A user's sites by name, sorted (a location past the offered ones shows as its id); none
    is the whole organization."""
    return sorted(names.get(location_id, location_id) for location_id in location_ids or ())


@router.post("/users")
async def add_user(request: Request, acting: ActingCaller, ctx: Server) -> Response:
    """`POST /api/v1/users` (admins); a refused user comes back as sent but for the password,
    the refusal beside its field (a taken e-mail beside the e-mail)."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.ADMIN)
    try:
        body = validated(UserCreate, {name: fields.get(name, "") for name in LABELS})
        async with ctx.db.writing() as uow:
            await UserService(uow, caller.organization_id, ctx.clock).create(
                body.email, body.password, body.role, body.name
            )
            await uow.commit()
    except REFUSED as refusal:
        sent = {name: fields.get(name, "") for name in SHOWN_AGAIN}
        form = refused(sent, LABELS, refusal, "email")
        return await _users_page(request, signed_in, ctx, 1, form=form, status_code=refusal.status)
    return RedirectResponse("/users", status.HTTP_303_SEE_OTHER)


@router.post("/users/{user_id}")
async def change_user(
    user_id: str, request: Request, acting: ActingCaller, ctx: Server
) -> Response:
    """A new role, and whether the user may sign in (a checkbox: absent means no); a refusal
    (the last active admin) is said on the users page."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.ADMIN)
    changes = {
        "role": fields.get("role", ""),
        "active": "true" if fields.get("active") else "false",
    }
    try:
        body = validated(UserPatch, changes)
        async with ctx.db.writing() as uow:
            service = UserService(uow, caller.organization_id, ctx.clock)
            user = await service.users.get(user_id)
            await service.update(user, body.model_dump(exclude_unset=True))
            await uow.commit()
    except REFUSED as refusal:
        return await _users_page(
            request, signed_in, ctx, 1, error=refusal.detail, status_code=refusal.status
        )
    return RedirectResponse("/users", status.HTTP_303_SEE_OTHER)


@router.post("/users/{user_id}/sites")
async def change_sites(
    user_id: str, request: Request, acting: ActingCaller, ctx: Server
) -> Response:
    """The sites an operator or viewer is confined to (checkboxes named `location_ids`; none
    checked: the whole organization). A list the REST API would refuse with 422 (an admin,
    a location of another organization) is shown on the users page, at 422."""
    signed_in, _ = acting
    caller = check_role(signed_in.principal, Role.ADMIN)
    sites = await form_values(request, "location_ids")
    try:
        body = validated(UserPatch, {"location_ids": sites})
        async with ctx.db.writing() as uow:
            service = UserService(uow, caller.organization_id, ctx.clock)
            user = await service.users.get(user_id)
            await service.update(user, body.model_dump(exclude_unset=True))
            await uow.commit()
    except Invalid as refusal:
        return await _users_page(
            request, signed_in, ctx, 1, error=refusal.detail, status_code=refusal.status
        )
    return RedirectResponse("/users", status.HTTP_303_SEE_OTHER)
