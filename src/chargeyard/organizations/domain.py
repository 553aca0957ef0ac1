"""Roles and what each may do."""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    VIEWER = "viewer"


_RANK = {Role.VIEWER: 0, Role.OPERATOR: 1, Role.ADMIN: 2}


def allows(role: Role, needed: Role) -> bool:
    """Roles are ordered: an admin may do what an operator may, an operator what a viewer may."""
    return _RANK[role] >= _RANK[needed]


@dataclass(frozen=True)
class Principal:
    """Who is calling: the organization every query is scoped to, and the role."""

    organization_id: str
    role: Role
    user_id: str | None = None
    token_id: str | None = None

    @property
    def actor(self) -> str:
        """How the audit trail names this caller."""
        if self.user_id is not None:
            return f"user:{self.user_id}"
        return f"token:{self.token_id}"
