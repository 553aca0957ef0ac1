import random
from datetime import UTC, datetime

import pytest

from chargeyard.simulator.call_record import CallOutcome, CallRecord
from chargeyard.simulator.latency import LatencyStats

SENT = datetime(2025, 1, 1, tzinfo=UTC)


def record(latency: float | None, outcome: CallOutcome = CallOutcome.ANSWERED) -> CallRecord:
    return CallRecord("CP1", "Heartbeat", SENT, outcome, latency)


def test_percentiles_are_within_two_percent() -> None:
    rng = random.Random(7)
    samples = [rng.lognormvariate(-6, 1) for _ in range(20_000)]
    stats = LatencyStats()
    for sample in samples:
        stats.record(record(sample))
    ordered = sorted(samples)

    assert stats.percentile(0.5) == pytest.approx(ordered[9_999], rel=0.02)
    assert stats.percentile(0.99) == pytest.approx(ordered[19_799], rel=0.02)


def test_counts_outcomes_and_answers() -> None:
    stats = LatencyStats()
    stats.record(record(0.002))
    stats.record(record(0.004, CallOutcome.CALL_ERROR))
    stats.record(record(None, CallOutcome.TIMED_OUT))

    assert (stats.sent, stats.answered) == (3, 2)
    assert stats.answered_by_action["Heartbeat"] == 1


def test_no_answers_no_percentiles() -> None:
    assert LatencyStats().percentile(0.5) is None
