"""Reservation status rules."""

from datetime import UTC, datetime, timedelta

from chargeyard.reservations.domain import (
    ReservationStatus as S,
)
from chargeyard.reservations.domain import (
    after_answer,
    after_connector_status,
    is_due,
)
from chargeyard.stations.domain import ConnectorStatus as C

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


def test_answers() -> None:
    assert after_answer("Accepted") is S.ACCEPTED
    assert after_answer("Occupied") is S.OCCUPIED
    assert after_answer("Pending") is S.REJECTED
    assert after_answer("Gibberish") is S.REJECTED


def test_connector_reports() -> None:
    future, past = NOW + timedelta(hours=1), NOW - timedelta(seconds=1)
    assert after_connector_status(S.PENDING, C.RESERVED, future, NOW) is S.ACCEPTED
    assert after_connector_status(S.ACCEPTED, C.AVAILABLE, past, NOW) is S.EXPIRED
    assert after_connector_status(S.ACCEPTED, C.AVAILABLE, future, NOW) is S.CANCELLED
    assert after_connector_status(S.ACCEPTED, C.OCCUPIED, future, NOW) is S.ACCEPTED
    assert after_connector_status(S.USED, C.AVAILABLE, past, NOW) is S.USED
    assert after_connector_status(S.PENDING, C.AVAILABLE, future, NOW) is S.PENDING


def test_due() -> None:
    assert is_due(S.ACCEPTED, NOW, NOW)
    assert not is_due(S.ACCEPTED, NOW + timedelta(seconds=1), NOW)
    assert not is_due(S.CANCELLED, NOW - timedelta(days=1), NOW)
