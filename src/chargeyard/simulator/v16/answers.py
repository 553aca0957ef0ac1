"""Typed answers a 1.6 station gets back from the CSMS.

`ocpp` returns nested fields such as idTagInfo as dicts; callers of `SimulatedStation`
get these frozen values instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ocpp.v16.enums import AuthorizationStatus, DataTransferStatus

from chargeyard.simulator.v16.codec import parse_timestamp


@dataclass(frozen=True)
class TagAuthorization:
    """An idTagInfo: whether the CSMS lets this id tag charge."""

    status: AuthorizationStatus
    parent_id_tag: str | None = None
    expires_at: datetime | None = None

    @property
    def accepted(self) -> bool:
        return self.status is AuthorizationStatus.accepted

    @classmethod
    def parse(cls, info: Mapping[str, Any]) -> TagAuthorization:
        expiry = info.get("expiry_date")
        return cls(
            status=AuthorizationStatus(info["status"]),
            parent_id_tag=info.get("parent_id_tag"),
            expires_at=None if expiry is None else parse_timestamp(expiry),
        )


@dataclass(frozen=True)
class StartedTransaction:
    transaction_id: int
    id_tag_info: TagAuthorization


@dataclass(frozen=True)
class DataTransferAnswer:
    status: DataTransferStatus
    data: str | None = None
