"""Roles and what each may do."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    VIEWER = "viewer"


_RANK = {Role.VIEWER: 0, Role.OPERATOR: 1, Role.ADMIN: 2}


def allows(role: Role, needed: Role) -> bool:
    """Roles are ordered: an admin may do what an operator may, an operator what a viewer may."""
    return _RANK[role] >= _RANK[needed]


def effective_role(token_role: Role, user_role: Role | None) -> Role:
    """What a token may do now: its own role, capped by its user's current role (a service
    token has no user, so its own role stands). Demoting a user demotes its tokens at once."""
    if user_role is None or allows(user_role, token_role):
        return token_role
    return user_role


def is_active_admin(role: str, active: bool) -> bool:
    """Who counts towards the one active admin user an organization must keep."""
    return role == Role.ADMIN and active


# A token's `last_used_at` is kept to this resolution: a busy token costs one write a minute,
# not one per request.
TOKEN_USE_RESOLUTION = timedelta(seconds=60)


def token_use_due(last_used_at: datetime | None, now: datetime) -> bool:
    """Whether a request at `now` should refresh a token's `last_used_at`."""
    return last_used_at is None or now - last_used_at >= TOKEN_USE_RESOLUTION


@dataclass(frozen=True)
class Principal:
    """Who is calling: the organization every query is scoped to, and the role."""

    organization_id: str
    role: Role
    user_id: str | None = None
    token_id: str | None = None
    service: bool = False
    """Authenticated by a service token (no user behind it)."""

    @property
    def actor(self) -> str:
        """How the audit trail names this caller."""
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"token:{self.token_id}"
