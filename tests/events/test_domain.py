"""Event type patterns: one rule for the log's filter (SQL LIKE) and for subscriptions."""

import pytest

from chargeyard.errors import Invalid
from chargeyard.events.domain import check_pattern, like_pattern, matches, matches_any


def test_wildcards_match_any_run_of_characters() -> None:
    assert matches("*", "session.started")
    assert matches("session.*", "session.stopped")
    assert not matches("session.*", "sessions.started")
    assert matches("*.status_changed", "connector.status_changed")
    assert matches("station.connected", "station.connected")
    assert not matches("station.connected", "station.disconnected")
    assert not matches("station.connect", "station.connected")
    assert matches_any(["id_tag.*", "session.started"], "session.started")
    assert not matches_any([], "session.started")


def test_dots_and_underscores_are_literal() -> None:
    assert not matches("session.started", "sessionXstarted")
    assert like_pattern("id_tag.*") == "id\\_tag.%"


@pytest.mark.parametrize("pattern", ["", "Session.started", "session started", "a%b", "x" * 65])
def test_malformed_patterns_are_invalid(pattern: str) -> None:
    with pytest.raises(Invalid):
        check_pattern(pattern)
