"""Conversions every version's adapter shares: wire timestamps to aware datetimes and back,
and the text rules every payload must meet before it reaches a service."""

from datetime import UTC, datetime
from typing import Any

from chargeyard.clock import as_utc
from chargeyard.protocol.rpc_errors import Kind, RpcError


def parse_timestamp(value: str) -> datetime:
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        raise RpcError(Kind.TYPE, f"{value!r} is not an RFC 3339 date-time") from None


def format_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def check_text(value: Any) -> None:
    """Refuse NUL characters anywhere in a payload. PostgreSQL text cannot hold them (SQLite can),
    so without this check the same message would be stored on one database and fail on the other.
    """
    if isinstance(value, str):
        if "\x00" in value:
            raise RpcError(Kind.PROPERTY, "strings must not contain NUL characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key)
            check_text(item)
    elif isinstance(value, list):
        for item in value:
            check_text(item)
