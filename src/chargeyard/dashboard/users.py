"""Administration of users, for admins only (as `/api/v1/users`): the list, adding a user, and
changing a user's role or whether they may sign in, through `UserService`, which keeps the
organization's last active admin."""

from fastapi import APIRouter, Request, Response, status
from fastapi.responses import RedirectResponse

from chargeyard.api.dependencies import Server, check_role
from chargeyard.dashboard.auth import ActingCaller, PageCaller
from chargeyard.dashboard.endpoints import PAGE_SIZE, PageNumber, base_context
from chargeyard.dashboard.forms import validated
from chargeyard.dashboard.rendering import DashboardRoute, render
from chargeyard.organizations.domain import Role
from chargeyard.organizations.repository import UserRepository
from chargeyard.organizations.schemas import UserCreate, UserPatch
from chargeyard.organizations.service import UserService
from chargeyard.storage.repository import Page

router = APIRouter(route_class=DashboardRoute, include_in_schema=False)

ROLES = tuple(role.value for role in Role)


@router.get("/users")
async def users(
    request: Request, caller: PageCaller, ctx: Server, page: PageNumber = 1
) -> Response:
    check_role(caller.principal, Role.ADMIN)
    async with ctx.db.reading() as uow:
        found = await UserRepository(uow.session, caller.principal.organization_id).search(
            Page((page - 1) * PAGE_SIZE, PAGE_SIZE)
        )
    context = base_context(caller, "users") | {
        "users": found.items,
        "total": found.total,
        "page": page,
        "pages": max(1, -(-found.total // PAGE_SIZE)),
        "roles": ROLES,
    }
    return render(request, "users.html", context)


@router.post("/users")
async def add_user(acting: ActingCaller, ctx: Server) -> Response:
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.ADMIN)
    body = validated(UserCreate, fields)
    async with ctx.db.writing() as uow:
        await UserService(uow, caller.organization_id, ctx.clock).create(
            body.email, body.password, body.role, body.name
        )
        await uow.commit()
    return RedirectResponse("/users", status.HTTP_303_SEE_OTHER)


@router.post("/users/{user_id}")
async def change_user(user_id: str, acting: ActingCaller, ctx: Server) -> Response:
    """A new role, and whether the user may sign in (a checkbox: absent means no)."""
    signed_in, fields = acting
    caller = check_role(signed_in.principal, Role.ADMIN)
    changes = {
        "role": fields.get("role", ""),
        "active": "true" if fields.get("active") else "false",
    }
    body = validated(UserPatch, changes)
    async with ctx.db.writing() as uow:
        service = UserService(uow, caller.organization_id, ctx.clock)
        await service.update(await service.users.get(user_id), body.model_dump(exclude_unset=True))
        await uow.commit()
    return RedirectResponse("/users", status.HTTP_303_SEE_OTHER)
