"""The token bucket itself, on a hand-driven clock."""

import logging

import pytest

from chargeyard.protocol.rate_limit import RateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_sustained_rate() -> None:
    clock = Clock()
    limit = RateLimit("CP", rate_per_s=2, burst=3, clock=clock)
    assert [limit.allow() for _ in range(4)] == [True, True, True, False]
    clock.now = 0.5  # one token back at 2/s
    assert [limit.allow(), limit.allow()] == [True, False]
    clock.now = 100  # refills to the burst, never beyond
    assert [limit.allow() for _ in range(4)] == [True, True, True, False]
    assert limit.refused == 3


def test_zero_rate_is_no_limit() -> None:
    limit = RateLimit("CP", rate_per_s=0, burst=1, clock=Clock())
    assert all(limit.allow() for _ in range(1000))


def test_one_log_line_per_burst(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    limit = RateLimit("CP-9", rate_per_s=1, burst=1, clock=clock)
    with caplog.at_level(logging.WARNING, "chargeyard.protocol.rate_limit"):
        for _ in range(50):
            limit.allow()
        clock.now = 10
        limit.allow()
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2
    assert "CP-9" in lines[0] and "49 CALLs refused" in lines[1]
