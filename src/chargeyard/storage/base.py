"""The declarative base every table derives from, and the column types they share.

The naming convention gives every constraint a stable name, so Alembic migrations are identical
on SQLite and PostgreSQL.
"""

import os
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from chargeyard.clock import as_utc
from chargeyard.storage.stamps import row_clock, stamp

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database stores."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


def new_id() -> str:
    """A random UUID (version 4) as 32 hex digits, as `uuid.uuid4().hex` writes it, without
    building a `UUID` object: every event row takes one, and the object cost three times the
    random bytes."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # the RFC 4122 variant
    return raw.hex()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime()}


class Tracked:
    """Created/updated timestamps and the revision that backs a resource's ETag. Both times come
    from the clock of the database that writes the row (`stamps.py`)."""

    created_at: Mapped[datetime] = mapped_column(default=stamp)
    updated_at: Mapped[datetime] = mapped_column(default=stamp, onupdate=stamp, index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)

    def touch(self) -> None:
        """Mark a change the API should see: a new ETag and a fresh `updated_at`, on the clock
        of the session that holds the row."""
        self.revision += 1
        self.updated_at = row_clock(self)()


def uuid_pk() -> Mapped[str]:
    return mapped_column(String(32), primary_key=True, default=new_id)
