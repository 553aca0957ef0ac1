"""The rule every `starts_at`/`ends_at` input shares (capacity windows, energy prices,
demand-response events): read as UTC, and over only after it begins."""

from typing import Any

from chargeyard.clock import as_utc
from chargeyard.errors import Invalid


def check_interval(fields: dict[str, Any]) -> None:
    """Read a naive `starts_at`/`ends_at` as UTC (as everywhere else) before comparing them: a
    naive one beside an aware one was a TypeError, a 500."""
    fields["starts_at"], fields["ends_at"] = as_utc(fields["starts_at"]), as_utc(fields["ends_at"])
    if fields["ends_at"] <= fields["starts_at"]:
        raise Invalid("ends_at must be after starts_at")
