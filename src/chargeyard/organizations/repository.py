"""All SQL about organizations, users and API tokens."""

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.errors import NotFound
from chargeyard.organizations.domain import Role
from chargeyard.organizations.models import ApiToken, Organization, User
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, owned_by

ACROSS_ORGANIZATIONS = (
    "REST authentication: a token or an e-mail is looked up before any tenant is known"
)


async def organization_by_name(session: AsyncSession, name: str) -> Organization | None:
    result = await session.execute(select(Organization).where(Organization.name == name))
    return result.scalars().first()


def add_organization(session: AsyncSession, organization: Organization) -> Organization:
    """A new tenant (created by the CLI or on first start; no tenant is asking)."""
    session.add(organization)
    return organization


async def organization_names(session: AsyncSession, limit: int = 20) -> list[str]:
    result = await session.execute(
        select(Organization.name).order_by(Organization.name).limit(limit)
    )
    return list(result.scalars().all())


@across_organizations(ACROSS_ORGANIZATIONS)
async def token_by_digest(
    session: AsyncSession, digest: str
) -> tuple[ApiToken, User | None] | None:
    """The token with this digest and its user (None for a service token or a user gone), in
    one query: every Bearer request makes it."""
    result = await session.execute(
        select(ApiToken, User)
        .outerjoin(User, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == digest)
    )
    row = result.first()
    return None if row is None else (row[0], row[1])


@across_organizations(ACROSS_ORGANIZATIONS)
async def mark_token_used(
    session: AsyncSession, token_id: str, now: datetime, resolution: timedelta
) -> None:
    """Set `last_used_at` unless it is already within `resolution` of `now`. The condition sits
    in the UPDATE, so concurrent requests (or nodes) that all saw a stale value write once."""
    await session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - resolution),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )


@across_organizations(ACROSS_ORGANIZATIONS)
async def user_by_email(session: AsyncSession, email: str) -> User | None:
    result = await session.execute(select(User).where(User.email == email.lower()))
    return result.scalars().first()


class UserRepository(ScopedRepository[User]):
    model = User
    noun = "User"

    async def search(
        self, page: Page, *, updated_since: datetime | None = None
    ) -> PageResult[User]:
        return await self.page(
            self.query(), page, order_by=[User.email], updated_since=updated_since
        )

    async def lock_active_admins(self) -> list[str]:
        """The ids of the organization's active admin users, row-locked in id order until the
        transaction ends (PostgreSQL; SQLite has one writer anyway), so two requests that each
        demote a different admin cannot both see the other one still standing."""
        result = await self.session.execute(
            self.query()
            .with_only_columns(User.id)
            .where(User.role == Role.ADMIN.value, User.active.is_(True))
            .order_by(User.id)
            .with_for_update()
        )
        return list(result.scalars())


class TokenRepository(ScopedRepository[ApiToken]):
    model = ApiToken
    noun = "API token"

    async def search(self, page: Page) -> PageResult[ApiToken]:
        return await self.page(
            self.query().where(ApiToken.revoked_at.is_(None)), page, order_by=[ApiToken.created_at]
        )

    async def find(self, key: object) -> ApiToken | None:
        """A revoked token is gone as far as the API is concerned."""
        result = await self.session.execute(
            self.query().where(ApiToken.id == key, ApiToken.revoked_at.is_(None))
        )
        return result.scalars().first()

    async def revoke_for_user(self, user_id: str, at: datetime, *, detach: bool) -> int:
        """Revoke a user's live tokens; say how many. `detach` also unlinks every token of the
        user (revoked earlier or now), so the user row can go."""
        live = await self.session.execute(
            update(ApiToken)
            .where(
                owned_by(ApiToken, self.organization_id),
                ApiToken.user_id == user_id,
                ApiToken.revoked_at.is_(None),
            )
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        )
        if detach:
            await self.session.execute(
                update(ApiToken)
                .where(owned_by(ApiToken, self.organization_id), ApiToken.user_id == user_id)
                .values(user_id=None)
                .execution_options(synchronize_session=False)
            )
        return int(getattr(live, "rowcount", 0) or 0)


async def organization_by_id(session: AsyncSession, organization_id: str) -> Organization | None:
    return await session.get(Organization, organization_id)


class OwnOrganization:
    """The caller's organization row, for a change guarded by its ETag (`api/dependencies.py:
    to_change`): locked and read afresh like `ScopedRepository.locked`."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def locked(self, key: str) -> Organization:
        statement = (
            select(Organization)
            .where(Organization.id == key)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        found = (await self.session.execute(statement)).scalars().first()
        if found is None:
            raise NotFound("the caller's organization no longer exists")
        return found
