"""Tenancy use cases: organizations, users, API tokens, and authenticating REST callers."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.clock import Clock
from chargeyard.errors import Conflict, Invalid, Unauthenticated
from chargeyard.organizations.domain import Principal, Role
from chargeyard.organizations.models import ApiToken, Organization, User
from chargeyard.organizations.repository import (
    TokenRepository,
    UserRepository,
    organization_by_name,
    token_by_digest,
    user_by_email,
)
from chargeyard.security.passwords import hash_password, verify_password
from chargeyard.security.tokens import generate_token, token_digest

MIN_USER_PASSWORD = 10


async def ensure_organization(session: AsyncSession, name: str) -> Organization:
    organization = await organization_by_name(session, name)
    if organization is None:
        organization = Organization(name=name, revision=1)
        session.add(organization)
        await session.flush()
    return organization


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
    secret = generate_token()
    token = ApiToken(
        organization_id=organization_id,
        user_id=user_id,
        name=name,
        role=_role(role).value,
        token_hash=token_digest(secret),
        prefix=secret[:8],
    )
    session.add(token)
    await session.flush()
    return IssuedToken(token, secret)


async def authenticate_token(session: AsyncSession, secret: str, clock: Clock) -> Principal:
    token = await token_by_digest(session, token_digest(secret))
    if token is None or token.revoked_at is not None:
        raise Unauthenticated("the API token is unknown or revoked")
    return Principal(token.organization_id, Role(token.role), token.user_id, token.id)


async def authenticate_user(session: AsyncSession, email: str, password: str) -> Principal:
    user = await user_by_email(session, email)
    if user is None or not user.active or not await verify_password(user.password_hash, password):
        raise Unauthenticated("wrong email or password")
    return Principal(user.organization_id, Role(user.role), user_id=user.id)


class UserService:
    def __init__(self, session: AsyncSession, organization_id: str) -> None:
        self.session = session
        self.organization_id = organization_id
        self.users = UserRepository(session, organization_id)
        self.tokens = TokenRepository(session, organization_id)

    async def create(self, email: str, password: str, role: str, name: str | None) -> User:
        if "@" not in email:
            raise Invalid("email must be an email address")
        if len(password) < MIN_USER_PASSWORD:
            raise Invalid(f"a password has at least {MIN_USER_PASSWORD} characters")
        if await user_by_email(self.session, email) is not None:
            raise Conflict(f"a user with email {email!r} exists already")
        user = User(
            organization_id=self.organization_id,
            email=email.lower(),
            name=name,
            role=_role(role).value,
            password_hash=await hash_password(password),
            revision=1,
        )
        self.users.add(user)
        await self.session.flush()
        return user
