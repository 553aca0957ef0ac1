"""Answer counts and latency percentiles for a whole fleet in constant memory.

Latencies go into logarithmic buckets 2 % wide, so p50 and p99 are accurate to about
1 % however many calls a long run makes.
"""

from __future__ import annotations

import math
from collections import Counter

from chargeyard.simulator.call_record import CallOutcome, CallRecord

_GROWTH = 1.02
_FLOOR_S = 1e-6


class LatencyStats:
    """A `CallRecorder` that counts outcomes and keeps a latency histogram."""

    def __init__(self) -> None:
        self.outcomes: Counter[CallOutcome] = Counter()
        self.answered_by_action: Counter[str] = Counter()
        self._buckets: Counter[int] = Counter()

    def record(self, record: CallRecord) -> None:
        self.outcomes[record.outcome] += 1
        if record.outcome is CallOutcome.ANSWERED:
            self.answered_by_action[record.action] += 1
        if record.latency_s is not None:
            self._buckets[_bucket(record.latency_s)] += 1

    @property
    def sent(self) -> int:
        return self.outcomes.total()

    @property
    def answered(self) -> int:
        """CALLs that got an answer, be it a CALLRESULT or a CALLERROR."""
        return self.outcomes[CallOutcome.ANSWERED] + self.outcomes[CallOutcome.CALL_ERROR]

    def percentile(self, fraction: float) -> float | None:
        """The latency in seconds below which `fraction` of the answers came."""
        total = self._buckets.total()
        if total == 0:
            return None
        rank = max(1, math.ceil(fraction * total))
        seen = 0
        buckets = sorted(self._buckets)
        for bucket in buckets:
            seen += self._buckets[bucket]
            if seen >= rank:
                break
        return _bucket_value(bucket)


def _bucket(latency_s: float) -> int:
    return math.floor(math.log(max(latency_s, _FLOOR_S) / _FLOOR_S, _GROWTH))


def _bucket_value(bucket: int) -> float:
    """The geometric middle of a bucket, within 1 % of anything that fell in it."""
    return float(_FLOOR_S * _GROWTH ** (bucket + 0.5))
