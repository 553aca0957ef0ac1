"""Tenancy use cases: organizations, users, API tokens, and authenticating REST callers."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chargeyard.clock import Clock
from chargeyard.errors import Conflict, Forbidden, Invalid, NameTaken, NotFound, Unauthenticated
from chargeyard.events.payloads import (
    API_TOKEN_CREATED,
    API_TOKEN_REVOKED,
    ORGANIZATION_UPDATED,
    USER_CREATED,
    USER_DELETED,
    USER_UPDATED,
    ApiTokenEvent,
    EventKind,
    OrganizationUpdated,
    P,
    UserCreated,
    UserDeleted,
    UserUpdated,
)
from chargeyard.events.recorder import record_event
from chargeyard.organizations.domain import (
    Principal,
    Role,
    allows,
    effective_role,
    is_active_admin,
)
from chargeyard.organizations.models import ApiToken, Organization, User
from chargeyard.organizations.repository import (
    TokenRepository,
    UserRepository,
    add_organization,
    organization_by_name,
    organization_names,
    token_by_digest,
    user_by_email,
)
from chargeyard.security.passwords import hash_password, verify_nothing, verify_password
from chargeyard.security.tokens import generate_token, token_digest
from chargeyard.site_scopes.service import checked_sites, confine
from chargeyard.storage.base import new_id
from chargeyard.storage.session import AsyncSession
from chargeyard.storage.unit_of_work import UnitOfWork

MIN_USER_PASSWORD = 10


async def ensure_organization(session: AsyncSession, name: str) -> Organization:
    organization = await organization_by_name(session, name)
    if organization is None:
        organization = add_organization(session, Organization(name=name, revision=1))
        await session.flush()
    return organization


async def organization_to_issue(session: AsyncSession, name: str, *, create: bool) -> Organization:
    """The organization a token issued from the shell is for: an existing one, by name. A new one
    only when asked (`create`) or while the database has none (the first run), so a mistyped
    name fails, naming the organizations that exist, instead of starting an empty one."""
    found = await organization_by_name(session, name)
    if found is not None:
        return found
    existing = await organization_names(session)
    if existing and not create:
        raise NotFound(
            f"no organization named {name!r} in this database (it has: "
            f"{', '.join(repr(n) for n in existing)}); check the name, or pass "
            "--create-organization to start a new one"
        )
    return await ensure_organization(session, name)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise Invalid(f"role must be one of {', '.join(r.value for r in Role)}") from None


async def issue_token(
    session: AsyncSession,
    organization_id: str,
    role: str,
    name: str | None,
    user_id: str | None = None,
) -> IssuedToken:
    """A token for `user_id`, or without one a service token (the CLI's, an integration's)."""
    secret = generate_token()
    token = ApiToken(
        organization_id=organization_id,
        user_id=user_id,
        service=user_id is None,
        name=name,
        role=_role(role).value,
        token_hash=token_digest(secret),
        prefix=secret[:8],
    )
    TokenRepository(session, organization_id).add(token)
    await session.flush()
    return IssuedToken(token, secret)


@dataclass(frozen=True)
class TokenSignIn:
    """A caller that a token authenticated, and when that token was last seen in use."""

    principal: Principal
    last_used_at: datetime | None


async def authenticate_token(session: AsyncSession, secret: str) -> TokenSignIn:
    """A token authenticates while it is live and, unless it is a service token, while its user
    exists and is active; it acts with its role capped by the user's current one."""
    found = await token_by_digest(session, token_digest(secret))
    token, user = found if found is not None else (None, None)
    if token is None or token.revoked_at is not None:
        raise Unauthenticated("the API token is unknown or revoked")
    if not token.service and (user is None or not user.active):
        raise Unauthenticated("the API token's user is deactivated or gone")
    role = effective_role(Role(token.role), None if user is None else Role(user.role))
    principal = Principal(
        token.organization_id, role, token.user_id, token.id, service=token.service
    )
    if user is not None:
        principal = await confine(session, principal, user.location_ids)
    return TokenSignIn(principal, token.last_used_at)


async def authenticate_user(session: AsyncSession, email: str, password: str) -> Principal:
    """Whether the e-mail is unknown, the user inactive or the password wrong, the answer is the
    same and costs the same (an unknown e-mail is checked against a dummy hash)."""
    user = await user_by_email(session, email)
    if user is None:
        await verify_nothing(password)
        raise Unauthenticated("wrong email or password")
    if not await verify_password(user.password_hash, password) or not user.active:
        raise Unauthenticated("wrong email or password")
    caller = Principal(user.organization_id, Role(user.role), user_id=user.id)
    return await confine(session, caller, user.location_ids)


class UserService:
    """Managing an organization's users and API tokens (the REST admin surface)."""

    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.session = uow.session
        self.organization_id = organization_id
        self.clock = clock
        self.users = UserRepository(self.session, organization_id)
        self.tokens = TokenRepository(self.session, organization_id)

    async def create(
        self,
        email: str,
        password: str,
        role: str,
        name: str | None,
        location_ids: list[str] | None = None,
    ) -> User:
        await self._check_email(email)
        _check_password(password)
        sites = await checked_sites(self.session, self.organization_id, role, location_ids)
        user = User(
            id=new_id(),
            organization_id=self.organization_id,
            email=email.lower(),
            name=name,
            role=_role(role).value,
            password_hash=await hash_password(password),
            location_ids=sites,
            revision=1,
        )
        self.users.add(user)
        await self.session.flush()
        self._event(USER_CREATED, UserCreated(user_id=user.id, email=user.email, role=user.role))
        return user

    async def update(self, user: User, changes: dict[str, Any]) -> User:
        if not is_active_admin(changes.get("role", user.role), changes.get("active", user.active)):
            await self._keep_an_admin(user)
        revoked = 0
        if user.active and changes.get("active") is False:
            revoked = await self.tokens.revoke_for_user(user.id, self.clock(), detach=False)
        if "email" in changes and changes["email"].lower() != user.email:
            await self._check_email(changes["email"])
        if "email" in changes:
            changes["email"] = changes["email"].lower()
        if "role" in changes:
            changes["role"] = _role(changes["role"]).value
        if "role" in changes or "location_ids" in changes:
            sites = await checked_sites(
                self.session,
                self.organization_id,
                changes.get("role", user.role),
                changes.get("location_ids", user.location_ids),
            )
            if "location_ids" in changes:
                changes["location_ids"] = sites
        password = changes.pop("password", None)
        if password is not None:
            _check_password(password)
            user.password_hash = await hash_password(password)
        for name, value in changes.items():
            setattr(user, name, value)
        user.touch()
        changed = sorted([*changes, *(["password"] if password is not None else [])])
        data = UserUpdated(user_id=user.id, changed=changed)
        if revoked:
            data["tokens_revoked"] = revoked
        self._event(USER_UPDATED, data)
        return user

    async def delete(self, user: User, caller: Principal) -> None:
        if caller.user_id == user.id:
            raise Conflict("a user cannot delete itself; ask another admin")
        await self._keep_an_admin(user)
        await self.tokens.revoke_for_user(user.id, self.clock(), detach=True)
        await self.users.delete(user)
        self._event(USER_DELETED, UserDeleted(user_id=user.id, email=user.email))

    def update_organization(self, organization: Organization, changes: dict[str, Any]) -> None:
        """Organization-wide settings (today: whether every ID tag needs a permission)."""
        for name, value in changes.items():
            setattr(organization, name, value)
        organization.touch()
        updated = OrganizationUpdated(changed=sorted(changes))
        if "permissions_required" in changes:
            updated["permissions_required"] = changes["permissions_required"]
        self._event(ORGANIZATION_UPDATED, updated)

    async def issue_token(
        self, caller: Principal, role: str, name: str | None, *, service: bool, user_id: str | None
    ) -> IssuedToken:
        """A user's token (the caller's own unless an admin names another user), never with
        more than that user's role; or, for an admin only, a service token with a role of its
        own."""
        wanted = _role(role)
        if service:
            if user_id is not None:
                raise Invalid("a service token belongs to no user: leave out user_id")
            if not allows(caller.role, Role.ADMIN):
                raise Forbidden("only an admin creates service tokens")
            owner_id = None
        else:
            owner_id = user_id or caller.user_id
            if owner_id is None:
                raise Invalid(
                    "a service token has no user to give its new token: name a user_id, or "
                    "create a service token (service: true)"
                )
            if owner_id != caller.user_id and not allows(caller.role, Role.ADMIN):
                raise Forbidden("only an admin creates tokens for other users")
            owner = await self.users.get(owner_id)
            if not owner.active:
                raise Conflict("the user is deactivated")
            if not allows(Role(owner.role), wanted):
                raise Forbidden(f"a token cannot have more than its user's role ({owner.role})")
        issued = await issue_token(self.session, self.organization_id, wanted, name, owner_id)
        self._event(API_TOKEN_CREATED, _token_data(issued.token))
        return issued

    def revoke_token(self, token: ApiToken) -> None:
        token.revoked_at = self.clock()
        self._event(API_TOKEN_REVOKED, _token_data(token))

    async def _keep_an_admin(self, user: User) -> None:
        """Refuse to take away the organization's last active admin user: no one could manage
        its users any more."""
        if not is_active_admin(user.role, user.active):
            return
        if not set(await self.users.lock_active_admins()) - {user.id}:
            raise Conflict("an organization needs at least one active admin")

    async def _check_email(self, email: str) -> None:
        if "@" not in email:
            raise Invalid("email must be an email address")
        if await user_by_email(self.session, email) is not None:
            raise NameTaken(f"the email {email!r} is not available")

    def _event(self, kind: EventKind[P], data: P) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=data,
        )


def _check_password(password: str) -> None:
    if len(password) < MIN_USER_PASSWORD:
        raise Invalid(f"a password has at least {MIN_USER_PASSWORD} characters")


def _token_data(token: ApiToken) -> ApiTokenEvent:
    """What the audit trail keeps of a token: never the secret, nor its hash."""
    return {
        "token_id": token.id,
        "name": token.name,
        "role": token.role,
        "prefix": token.prefix,
        "user_id": token.user_id,
        "service": token.service,
    }
