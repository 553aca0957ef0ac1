"""The brute-force brake: lockouts after repeated failures, doubling, forgetting."""

from chargeyard.security.attempts import AttemptLimiter, LockoutPolicy

POLICY = LockoutPolicy(max_failures=3, lockout_s=10, max_lockout_s=25, forget_after_s=100)


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_key_locks_after_max_failures_and_doubles_up_to_the_cap() -> None:
    clock = FakeClock()
    limiter = AttemptLimiter(POLICY, clock)
    assert limiter.failed("k") is None and limiter.failed("k") is None
    assert limiter.retry_after("k") is None
    assert limiter.failed("k") == 10
    assert limiter.retry_after("k") == 10
    clock.now = 10.5
    assert limiter.retry_after("k") is None
    limiter.failed("k")
    limiter.failed("k")
    assert limiter.failed("k") == 20
    clock.now = 31
    for _ in range(2):
        limiter.failed("k")
    assert limiter.failed("k") == 25  # capped


def test_success_and_quiet_time_forget_a_key() -> None:
    clock = FakeClock()
    limiter = AttemptLimiter(POLICY, clock)
    limiter.failed("k")
    limiter.failed("k")
    limiter.succeeded("k")
    assert limiter.failed("k") is None
    limiter.failed("k")
    clock.now = 200
    assert limiter.failed("k") is None  # forgotten: this is the first failure again


def test_keys_are_independent_and_memory_is_bounded() -> None:
    limiter = AttemptLimiter(POLICY, FakeClock(), max_keys=2)
    for _ in range(3):
        limiter.failed("a")
    assert limiter.retry_after("a") == 10 and limiter.retry_after("b") is None
    limiter.failed("b")
    limiter.failed("c")
    assert limiter.retry_after("a") is None  # the oldest key went first
