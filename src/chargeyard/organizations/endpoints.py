"""/api/v1/organization, /api/v1/users and /api/v1/tokens: who the caller belongs to, and the
admin surface over the organization's users and API tokens."""

from fastapi import APIRouter, Request, Response, status

from chargeyard.api.dependencies import (
    Admin,
    Paging,
    Reading,
    Server,
    UpdatedSince,
    Viewer,
    Writing,
    conditional_update,
    name_probe_brake,
    set_etag,
    to_change,
)
from chargeyard.api.query import StrictQuery
from chargeyard.api.schemas import ListOf, listing
from chargeyard.errors import NotFound
from chargeyard.organizations.models import User
from chargeyard.organizations.repository import (
    OwnOrganization,
    TokenRepository,
    UserRepository,
    organization_by_id,
)
from chargeyard.organizations.schemas import (
    MeOrganization,
    MeOut,
    OrganizationOut,
    OrganizationPatch,
    TokenCreate,
    TokenCreated,
    TokenOut,
    UserCreate,
    UserOut,
    UserPatch,
    UserReplace,
)
from chargeyard.organizations.service import UserService

organization_router = APIRouter(prefix="/organization", tags=["organization"])
users_router = APIRouter(prefix="/users", tags=["users"])
tokens_router = APIRouter(prefix="/tokens", tags=["tokens"])


@organization_router.get("", response_model=OrganizationOut)
async def get_organization(caller: Viewer, uow: Reading, response: Response) -> OrganizationOut:
    """The organization the caller's credentials belong to."""
    organization = await organization_by_id(uow.session, caller.organization_id)
    if organization is None:
        raise NotFound("the caller's organization no longer exists")
    set_etag(response, organization.id, organization.revision)
    return OrganizationOut.model_validate(organization)


@organization_router.patch("", response_model=OrganizationOut)
async def update_organization(
    body: OrganizationPatch,
    caller: Admin,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> OrganizationOut:
    organization = await to_change(OwnOrganization(uow.session), caller.organization_id, request)
    service = UserService(uow, caller.organization_id, ctx.clock)
    service.update_organization(organization, body.model_dump(exclude_unset=True))
    await uow.commit()
    set_etag(response, organization.id, organization.revision)
    return OrganizationOut.model_validate(organization)


def _user(user: User, response: Response) -> UserOut:
    set_etag(response, user.id, user.revision)
    return UserOut.model_validate(user)


@users_router.get("", response_model=ListOf[UserOut], dependencies=[StrictQuery])
async def list_users(
    caller: Admin, uow: Reading, paging: Paging, updated_since: UpdatedSince = None
) -> ListOf[UserOut]:
    result = await UserRepository(uow.session, caller.organization_id).search(
        paging, updated_since=updated_since
    )
    return listing(result, paging, UserOut)


@users_router.post("", status_code=status.HTTP_201_CREATED, response_model=UserOut)
async def create_user(
    body: UserCreate, caller: Admin, uow: Writing, ctx: Server, response: Response
) -> UserOut:
    service = UserService(uow, caller.organization_id, ctx.clock)
    async with name_probe_brake(ctx, caller.organization_id):
        user = await service.create(
            body.email, body.password, body.role, body.name, body.location_ids
        )
    await uow.commit()
    response.headers["Location"] = f"/api/v1/users/{user.id}"
    return _user(user, response)


@users_router.get("/me", response_model=MeOut)
async def who_am_i(caller: Viewer, uow: Reading) -> MeOut:
    """The caller: user (none for a service token), effective role and organization, whether
    it came with a token or with Basic credentials. Any role may ask."""
    organization = await organization_by_id(uow.session, caller.organization_id)
    if organization is None:
        raise NotFound("the caller's organization no longer exists")
    user = None
    if caller.user_id is not None:
        user = await UserRepository(uow.session, caller.organization_id).get(caller.user_id)
    return MeOut(
        id=None if user is None else user.id,
        email=None if user is None else user.email,
        name=None if user is None else user.name,
        role=caller.role,
        organization=MeOrganization(id=organization.id, name=organization.name),
        authenticated_by="basic" if caller.token_id is None else "token",
        token_id=caller.token_id,
        service=caller.service,
        location_ids=None if user is None else user.location_ids,
    )


@users_router.get("/{user_id}", response_model=UserOut)
async def get_user(user_id: str, caller: Admin, uow: Reading, response: Response) -> UserOut:
    return _user(await UserRepository(uow.session, caller.organization_id).get(user_id), response)


@users_router.put("/{user_id}", response_model=UserOut)
async def replace_user(
    user_id: str,
    body: UserReplace,
    caller: Admin,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> UserOut:
    service = UserService(uow, caller.organization_id, ctx.clock)
    user = await conditional_update(
        service.users, user_id, body, service.update, uow, request, response, replace=True
    )
    return UserOut.model_validate(user)


@users_router.patch("/{user_id}", response_model=UserOut)
async def update_user(
    user_id: str,
    body: UserPatch,
    caller: Admin,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> UserOut:
    service = UserService(uow, caller.organization_id, ctx.clock)
    user = await conditional_update(
        service.users, user_id, body, service.update, uow, request, response, replace=False
    )
    return UserOut.model_validate(user)


@users_router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_user(
    user_id: str, caller: Admin, uow: Writing, ctx: Server, request: Request
) -> None:
    """Deleting a user revokes the API tokens issued to it."""
    service = UserService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.users, user_id, request), caller)
    await uow.commit()


@tokens_router.get("", response_model=ListOf[TokenOut])
async def list_tokens(caller: Admin, uow: Reading, paging: Paging) -> ListOf[TokenOut]:
    """The organization's live tokens; secrets are never shown again after creation."""
    result = await TokenRepository(uow.session, caller.organization_id).search(paging)
    return listing(result, paging, TokenOut)


@tokens_router.post("", status_code=status.HTTP_201_CREATED, response_model=TokenCreated)
async def create_token(body: TokenCreate, caller: Admin, uow: Writing, ctx: Server) -> TokenCreated:
    """A token for the caller's own user (or, with `user_id`, another user of the
    organization), never above that user's role; with `service: true`, a service token."""
    issued = await UserService(uow, caller.organization_id, ctx.clock).issue_token(
        caller, body.role, body.name, service=body.service, user_id=body.user_id
    )
    await uow.commit()
    out = TokenOut.model_validate(issued.token)
    return TokenCreated(**out.model_dump(), secret=issued.secret)


@tokens_router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_token(token_id: str, caller: Admin, uow: Writing, ctx: Server) -> None:
    """The token answers 401 from now on."""
    service = UserService(uow, caller.organization_id, ctx.clock)
    service.revoke_token(await service.tokens.get(token_id))
    await uow.commit()
