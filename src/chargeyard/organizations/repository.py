"""All SQL about organizations, users and API tokens."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chargeyard.organizations.models import ApiToken, Organization, User
from chargeyard.storage.repository import Page, PageResult, ScopedRepository


async def organization_by_name(session: AsyncSession, name: str) -> Organization | None:
    result = await session.execute(select(Organization).where(Organization.name == name))
    return result.scalars().first()


async def token_by_digest(session: AsyncSession, digest: str) -> ApiToken | None:
    result = await session.execute(select(ApiToken).where(ApiToken.token_hash == digest))
    return result.scalars().first()


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

    async def revoke_for_user(self, user_id: str, at: datetime) -> None:
        """Revoke a user's tokens and detach them, so the user row can go."""
        await self.session.execute(
            update(ApiToken)
            .where(ApiToken.organization_id == self.organization_id, ApiToken.user_id == user_id)
            .values(revoked_at=at, user_id=None)
        )


async def organization_by_id(session: AsyncSession, organization_id: str) -> Organization | None:
    return await session.get(Organization, organization_id)
