"""All SQL about organizations, users and API tokens."""

from sqlalchemy import select
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

    async def search(self, page: Page) -> PageResult[User]:
        return await self.page(self.query(), page, order_by=[User.email])


class TokenRepository(ScopedRepository[ApiToken]):
    model = ApiToken
    noun = "API token"

    async def search(self, page: Page) -> PageResult[ApiToken]:
        return await self.page(
            self.query().where(ApiToken.revoked_at.is_(None)), page, order_by=[ApiToken.created_at]
        )
