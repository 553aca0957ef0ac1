"""The statements that read or write tenant rows without naming an organization, each declared.

Every repository reads a tenant-owned table through `ScopedRepository.query()` or `owned_by()`
(storage/repository.py), so a foreign id is simply not found. A few statements cannot: the
WebSocket handshake and REST authentication name a station, a token or an e-mail before any
tenant is known, and the cluster's jobs (the event sequencer, the alert evaluator and mailer, the
webhook fan-out, the report builder, retention, reservation expiry) serve every organization at
once and key what they read by each row's own organization. Such a function says so with
`@across_organizations("why")`; the decorator changes nothing at run time (it returns the
function itself, so the OCPP hot path pays nothing), it only makes the exception explicit where
it is written and visible to `declared()`.

`tests/storage/test_cross_organization.py` keeps the list honest: it scans every module that may
run SQL for functions whose statements name a tenant-owned table but no organization, and fails
on any that is not declared here. docs/architecture.md lists the declared ones.
"""

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

REASON_ATTRIBUTE = "__across_organizations__"


def across_organizations(why: str) -> Callable[[F], F]:
    """Declare that the decorated function's statements are deliberately not scoped to one
    organization, and why (one sentence a reviewer can check)."""
    if not why.strip():
        raise ValueError("say why this statement crosses organizations")

    def declare(function: F) -> F:
        setattr(function, REASON_ATTRIBUTE, why)
        return function

    return declare


def declared(function: Callable[..., Any]) -> str | None:
    """The reason `function` was declared to cross organizations, or None if it was not."""
    reason = getattr(function, REASON_ATTRIBUTE, None)
    return reason if isinstance(reason, str) else None
