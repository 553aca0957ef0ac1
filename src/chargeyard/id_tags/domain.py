"""Authorization rules: may this ID tag charge now? Pure functions over tag values.

The statuses are the union of OCPP 1.6 and 2.0.1; each protocol adapter maps the ones its
version lacks (for instance `Unknown` is `Invalid` in 1.6).
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class AuthorizationStatus(StrEnum):
    ACCEPTED = "Accepted"
    BLOCKED = "Blocked"
    EXPIRED = "Expired"
    INVALID = "Invalid"
    CONCURRENT_TX = "ConcurrentTx"
    UNKNOWN = "Unknown"
    NO_CREDIT = "NoCredit"
    NOT_ALLOWED_TYPE_OF_EVSE = "NotAllowedTypeOfEVSE"
    NOT_AT_THIS_LOCATION = "NotAtThisLocation"
    NOT_AT_THIS_TIME = "NotAtThisTime"


# The statuses an operator can give a tag; the others are decided per request.
TAG_STATUSES = (
    AuthorizationStatus.ACCEPTED,
    AuthorizationStatus.BLOCKED,
    AuthorizationStatus.EXPIRED,
    AuthorizationStatus.INVALID,
)


@dataclass(frozen=True)
class TagState:
    value: str
    status: AuthorizationStatus
    expires_at: datetime | None = None
    parent_id_tag: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class OwnerStanding:
    """What the tag's owner (a driver) allows: a disabled owner blocks all their tags; an owner
    without credit (a prepaid balance that cannot cover the tariff) gets NoCredit."""

    enabled: bool = True
    has_credit: bool = True


@dataclass(frozen=True)
class Authorization:
    """`reason` says why a tag the station would otherwise accept was refused (the
    permissions' `Denial`); each protocol answers it with a status its version has."""

    status: AuthorizationStatus
    expires_at: datetime | None = None
    parent_id_tag: str | None = None
    group: str | None = None
    reason: str | None = None

    @property
    def accepted(self) -> bool:
        return self.status is AuthorizationStatus.ACCEPTED


def authorize(
    tag: TagState | None,
    now: datetime,
    *,
    parent: TagState | None = None,
    in_use_elsewhere: bool = False,
    owner: OwnerStanding | None = None,
) -> Authorization:
    """Decide a tag's authorization.

    A tag whose parent (its group tag) is blocked or expired is refused too: blocking the parent
    is how an operator blocks a whole fleet's cards at once. `in_use_elsewhere` turns an accepted
    tag into ConcurrentTx when it already has a session running.
    """
    if tag is None:
        return Authorization(AuthorizationStatus.INVALID)
    status = _own_status(tag, now)
    if status is AuthorizationStatus.ACCEPTED and parent is not None:
        parent_status = _own_status(parent, now)
        if parent_status is not AuthorizationStatus.ACCEPTED:
            status = parent_status
    if status is AuthorizationStatus.ACCEPTED and owner is not None:
        if not owner.enabled:
            status = AuthorizationStatus.BLOCKED
        elif not owner.has_credit:
            status = AuthorizationStatus.NO_CREDIT
    if status is AuthorizationStatus.ACCEPTED and in_use_elsewhere:
        status = AuthorizationStatus.CONCURRENT_TX
    return Authorization(
        status=status,
        expires_at=tag.expires_at,
        parent_id_tag=tag.parent_id_tag,
        group=tag.group,
    )


def refused(authorization: Authorization, reason: str) -> Authorization:
    """A tag its own status would let charge, refused here: Invalid, the status both OCPP 1.6
    and 2.0.1 have for a tag that may not be used at this station."""
    return Authorization(
        status=AuthorizationStatus.INVALID,
        expires_at=authorization.expires_at,
        parent_id_tag=authorization.parent_id_tag,
        group=authorization.group,
        reason=reason,
    )


def _own_status(tag: TagState, now: datetime) -> AuthorizationStatus:
    if tag.status is not AuthorizationStatus.ACCEPTED:
        return tag.status
    if tag.expires_at is not None and tag.expires_at <= now:
        return AuthorizationStatus.EXPIRED
    return AuthorizationStatus.ACCEPTED
