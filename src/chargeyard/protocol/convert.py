"""Conversions every version's adapter shares: wire timestamps to aware datetimes and back."""

from datetime import UTC, datetime

from chargeyard.clock import as_utc
from chargeyard.protocol.rpc_errors import Kind, RpcError


def parse_timestamp(value: str) -> datetime:
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        raise RpcError(Kind.TYPE, f"{value!r} is not an RFC 3339 date-time") from None


def format_timestamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
