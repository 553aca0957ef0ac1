"""Authorization rules, decided without a database."""

from datetime import UTC, datetime, timedelta

import pytest

from chargeyard.id_tags.domain import Authorization, AuthorizationStatus, TagState, authorize

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)
Status = AuthorizationStatus


def tag(status: Status = Status.ACCEPTED, **fields: object) -> TagState:
    return TagState(value="TAG", status=status, **fields)  # type: ignore[arg-type]


def test_unknown_tag_is_invalid() -> None:
    assert authorize(None, NOW) == Authorization(Status.INVALID)


@pytest.mark.parametrize("status", [Status.BLOCKED, Status.EXPIRED, Status.INVALID])
def test_operator_status_wins(status: Status) -> None:
    assert authorize(tag(status), NOW).status is status


def test_expiry_is_exclusive_of_the_instant() -> None:
    assert authorize(tag(expires_at=NOW + timedelta(seconds=1)), NOW).accepted
    assert authorize(tag(expires_at=NOW), NOW).status is Status.EXPIRED


def test_parent_refusal_passes_to_the_child_but_keeps_its_own_details() -> None:
    child = tag(parent_id_tag="FLEET", expires_at=NOW + timedelta(days=1), group="g")
    decided = authorize(child, NOW, parent=tag(Status.BLOCKED))
    assert decided == Authorization(Status.BLOCKED, child.expires_at, "FLEET", "g")
    expired_parent = tag(expires_at=NOW - timedelta(days=1))
    assert authorize(child, NOW, parent=expired_parent).status is Status.EXPIRED
    assert authorize(child, NOW, parent=tag()).accepted


def test_concurrent_tx_only_for_an_otherwise_accepted_tag() -> None:
    assert authorize(tag(), NOW, in_use_elsewhere=True).status is Status.CONCURRENT_TX
    blocked = authorize(tag(Status.BLOCKED), NOW, in_use_elsewhere=True)
    assert blocked.status is Status.BLOCKED
