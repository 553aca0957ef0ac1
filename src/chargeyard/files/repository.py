"""All SQL about stored files: an organization's files and links, and the lookups by URL token.

The two token lookups (`upload_by_token`, `link_by_token`) are unscoped on purpose, like the
station handshake's: a station fetching a URL has no organization to scope by, and the token,
256 random bits stored as a digest, is itself the credential.
"""

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import undefer

from chargeyard.files.models import DownloadLink, StoredFile
from chargeyard.storage.cross_organization import across_organizations
from chargeyard.storage.repository import Page, PageResult, ScopedRepository, matching

FOUND_BY_ITS_TOKEN = (
    "a bearer token in the URL is the credential: no tenant is known before it is found"
)
KEYED_BY_A_TOKENS_ROW = "keyed by the row a token lookup just found"


class FileRepository(ScopedRepository[StoredFile]):
    model = StoredFile
    noun = "File"

    async def search(
        self,
        page: Page,
        *,
        station_id: str | None = None,
        kind: str | None = None,
        status: str | None = None,
    ) -> PageResult[StoredFile]:
        statement = matching(
            self.query(),
            (StoredFile.station_id, station_id),
            (StoredFile.kind, kind),
            (StoredFile.status, status),
        )
        return await self.page(
            statement, page, order_by=(StoredFile.created_at.desc(), StoredFile.id)
        )

    async def with_content(self, file_id: str) -> StoredFile | None:
        found = await self.session.scalars(
            self.query().where(StoredFile.id == file_id).options(undefer(StoredFile.content))
        )
        return found.first()

    def add_link(self, link: DownloadLink) -> DownloadLink:
        """A one-time download link to one of the organization's files."""
        self.session.add(link)
        return link


@across_organizations(FOUND_BY_ITS_TOKEN)
async def upload_by_token(session: AsyncSession, digest: str) -> StoredFile | None:
    found = await session.scalars(
        select(StoredFile).where(StoredFile.upload_token_digest == digest).with_for_update()
    )
    return found.first()


@across_organizations(FOUND_BY_ITS_TOKEN)
async def link_by_token(session: AsyncSession, digest: str) -> DownloadLink | None:
    found = await session.scalars(
        select(DownloadLink).where(DownloadLink.token_digest == digest).with_for_update()
    )
    return found.first()


@across_organizations(KEYED_BY_A_TOKENS_ROW)
async def file_with_content(session: AsyncSession, file_id: str) -> StoredFile | None:
    found = await session.scalars(
        select(StoredFile).where(StoredFile.id == file_id).options(undefer(StoredFile.content))
    )
    return found.first()


@across_organizations(KEYED_BY_A_TOKENS_ROW)
async def count_download(session: AsyncSession, link: DownloadLink) -> None:
    """One more download, counted in the database (never lost to a concurrent one)."""
    await session.execute(
        update(DownloadLink)
        .where(DownloadLink.id == link.id)
        .values(downloads=DownloadLink.downloads + 1)
    )
    await session.execute(
        update(StoredFile)
        .where(StoredFile.id == link.file_id)
        .values(downloads=StoredFile.downloads + 1)
    )
