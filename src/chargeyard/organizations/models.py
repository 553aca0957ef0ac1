"""Tables of tenancy: organizations, users and API tokens (secrets stored only as hashes)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from chargeyard.storage.base import Base, Tracked, uuid_pk
from chargeyard.storage.stamps import stamp


class Organization(Tracked, Base):
    __tablename__ = "organizations"

    id: Mapped[str] = uuid_pk()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # When on, an ID tag without any permission is refused everywhere (permissions/).
    permissions_required: Mapped[bool] = mapped_column(default=False)


class User(Tracked, Base):
    __tablename__ = "users"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    # The locations (with everything below them) an operator or viewer is confined to; None is
    # the whole organization (site_scopes/).
    location_ids: Mapped[list[str] | None] = mapped_column(JSON)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = uuid_pk()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    """The most the token may do; its user's current role caps it (`domain.effective_role`)."""
    service: Mapped[bool] = mapped_column(default=False)
    """A service token belongs to no user (integrations); only an admin creates one."""
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=stamp)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
