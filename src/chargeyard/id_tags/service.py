"""ID tag use cases: managing tags and authorizing them for every protocol. Never commits."""

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from chargeyard.clock import Clock
from chargeyard.drivers.service import DriverService
from chargeyard.errors import Conflict, Invalid
from chargeyard.events.payloads import (
    AUTHORIZATION_ACCEPTED,
    AUTHORIZATION_REJECTED,
    ID_TAG_CREATED,
    ID_TAG_DELETED,
    ID_TAG_UPDATED,
    AuthorizationDecided,
    EventKind,
    IdTagChanged,
)
from chargeyard.events.recorder import record_event
from chargeyard.id_tags.domain import (
    TAG_STATUSES,
    Authorization,
    AuthorizationStatus,
    OwnerStanding,
    TagState,
    authorize,
    refused,
)
from chargeyard.id_tags.models import IdTag
from chargeyard.id_tags.repository import IdTagRepository, TagFacts
from chargeyard.permissions.service import PermissionService
from chargeyard.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class IdTagDraft:
    value: str
    status: str = "Accepted"
    token_type: str = "ISO14443"
    expires_at: datetime | None = None
    parent_id_tag: str | None = None
    group: str | None = None
    description: str | None = None


def _state(tag: IdTag | TagFacts) -> TagState:
    return TagState(
        value=tag.value,
        status=AuthorizationStatus(tag.status),
        expires_at=tag.expires_at,
        parent_id_tag=tag.parent_id_tag,
        group=tag.group,
    )


def _check_status(status: str) -> None:
    if status not in {s.value for s in TAG_STATUSES}:
        raise Invalid(f"status must be one of {', '.join(s.value for s in TAG_STATUSES)}")


class IdTagService:
    def __init__(self, uow: UnitOfWork, organization_id: str, clock: Clock) -> None:
        self.uow = uow
        self.organization_id = organization_id
        self.clock = clock
        self.tags = IdTagRepository(uow.session, organization_id)

    async def create(self, draft: IdTagDraft) -> IdTag:
        if not 1 <= len(draft.value) <= 36:
            raise Invalid("an ID tag value has 1 to 36 characters")
        _check_status(draft.status)
        if await self.tags.by_value(draft.value) is not None:
            raise Conflict(f"ID tag {draft.value!r} exists already")
        tag = IdTag(
            organization_id=self.organization_id,
            revision=1,
            **{f.name: getattr(draft, f.name) for f in fields(draft)},
        )
        self.tags.add(tag)
        self._event(ID_TAG_CREATED, tag)
        return tag

    async def update(self, tag: IdTag, changes: dict[str, Any]) -> IdTag:
        if "status" in changes:
            _check_status(changes["status"])
        renamed = "value" in changes and changes["value"] != tag.value
        if renamed and await self.tags.by_value(changes["value"]) is not None:
            raise Conflict(f"ID tag {changes['value']!r} exists already")
        for name, value in changes.items():
            setattr(tag, name, value)
        tag.touch()
        self._event(ID_TAG_UPDATED, tag)
        return tag

    async def delete(self, tag: IdTag) -> None:
        await self.tags.delete(tag)
        self._event(ID_TAG_DELETED, tag)

    async def authorize(
        self,
        value: str,
        *,
        station_id: str | None = None,
        exclude_transaction: int | None = None,
        concurrent_allowed: bool = False,
    ) -> Authorization:
        """Authorize a tag presented at a station of this organization. At `station_id` the
        tag's permissions must let it charge there too, and a tag that belongs to a driver needs
        the driver's standing: enabled, and for a prepaid driver a balance that covers the
        station's tariff. `concurrent_allowed`: a tag charging elsewhere is not asked about
        (its open sessions are not looked up)."""
        presented = await self.tags.presented(
            value, in_use=not concurrent_allowed, exclude_transaction=exclude_transaction
        )
        tag = None if presented is None else presented.tag
        parent = None
        if tag is not None and tag.parent_id_tag and tag.parent_id_tag != tag.value:
            parent = await self.tags.by_value(tag.parent_id_tag)
        in_use = presented is not None and presented.in_use
        standing = None
        if presented is not None and presented.driver_id is not None:
            drivers = DriverService(self.uow, self.organization_id, self.clock)
            standing = await drivers.standing_of(
                presented.driver_id, station_id, id_tag=presented.tag.value
            )
        authorization = authorize(
            None if tag is None else _state(tag),
            self.clock(),
            parent=None if parent is None else _state(parent),
            in_use_elsewhere=in_use,
            owner=None
            if standing is None
            else OwnerStanding(enabled=standing.enabled, has_credit=standing.has_credit),
        )
        usable = (AuthorizationStatus.ACCEPTED, AuthorizationStatus.CONCURRENT_TX)
        if presented is not None and station_id is not None and authorization.status in usable:
            permissions = PermissionService(self.uow, self.organization_id, self.clock)
            denial = await permissions.denial(
                presented.tag.id,
                station_id,
                held=presented.has_permissions,
                required=presented.permissions_required,
            )
            if denial is not None:
                return refused(authorization, denial.value)
        return authorization

    async def authorize_presented(
        self, station_id: str, value: str, *, concurrent_allowed: bool = False
    ) -> Authorization:
        """Authorize a tag a station asks about, and record the decision as an event.
        `concurrent_allowed`: a tag charging elsewhere is accepted (OCPP 1.6 Authorize, where
        ConcurrentTx belongs to StartTransaction alone)."""
        authorization = await self.authorize(
            value, station_id=station_id, concurrent_allowed=concurrent_allowed
        )
        decided: AuthorizationDecided = {
            "station_id": station_id,
            "id_tag": value,
            "status": authorization.status.value,
            "expires_at": (
                authorization.expires_at.isoformat() if authorization.expires_at else None
            ),
            "parent_id_tag": authorization.parent_id_tag,
            "group": authorization.group,
            "reason": authorization.reason,
        }
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=AUTHORIZATION_ACCEPTED if authorization.accepted else AUTHORIZATION_REJECTED,
            occurred_at=self.clock(),
            station_id=station_id,
            data=decided,
        )
        return authorization

    def _event(self, kind: EventKind[IdTagChanged], tag: IdTag) -> None:
        record_event(
            self.uow,
            organization_id=self.organization_id,
            kind=kind,
            occurred_at=self.clock(),
            data=IdTagChanged(id_tag=tag.value, status=tag.status),
        )
