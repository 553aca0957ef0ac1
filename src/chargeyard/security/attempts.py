"""Failed sign-in attempts per key, with backoff: the brute-force brake of the station handshake
and of REST Basic authentication.

A key is what an attacker must vary to keep guessing: a station id, an e-mail address, a source
address. After `max_failures` failures in a row on a key, the key is locked for `lockout_s`;
each further lockout doubles that, up to `max_lockout_s`. A key with no failure for
`forget_after_s` starts over, and a success forgets a station id or e-mail (not an address,
which one working credential must not unlock for every other guess from it).

State lives in this process (a cluster of N workers lets an attacker up to N times the
attempts, still a fixed budget per lockout period), holds at most `max_keys` keys (the oldest go
first, so a flood of made-up ids cannot exhaust memory), and is measured on a monotonic clock.
"""

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int
    lockout_s: float
    max_lockout_s: float
    forget_after_s: float


@dataclass
class _Record:
    failures: int = 0
    lockouts: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0


class AttemptLimiter:
    def __init__(
        self,
        policy: LockoutPolicy,
        monotonic: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.policy = policy
        self._now = monotonic
        self._max_keys = max_keys
        self._records: OrderedDict[str, _Record] = OrderedDict()

    def retry_after(self, *keys: str) -> float | None:
        """Seconds until every one of `keys` is unlocked; None when none is locked."""
        now = self._now()
        waits = [
            record.locked_until - now
            for key in keys
            if (record := self._records.get(key)) is not None and record.locked_until > now
        ]
        return max(waits) if waits else None

    def failed(self, *keys: str) -> float | None:
        """Count a failure on each key; the lockout in seconds if this failure started one."""
        now = self._now()
        started: float | None = None
        for key in keys:
            record = self._records.pop(key, None) or _Record()
            if now - record.last_failure > self.policy.forget_after_s:
                record = _Record()
            record.failures += 1
            record.last_failure = now
            if record.failures >= self.policy.max_failures:
                lockout = min(self.policy.max_lockout_s, self.policy.lockout_s * 2**record.lockouts)
                record.lockouts += 1
                record.failures = 0
                record.locked_until = now + lockout
                started = max(started or 0.0, lockout)
            self._records[key] = record
        while len(self._records) > self._max_keys:
            self._records.popitem(last=False)
        return started

    def succeeded(self, key: str) -> None:
        self._records.pop(key, None)
