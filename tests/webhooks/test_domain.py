"""Retry schedule, disabling rule and request building: the rules without I/O."""

import random
from datetime import UTC, datetime, timedelta

from chargeyard.security.sealing import Sealer
from chargeyard.webhooks.domain import build_request, retry_delay, should_disable
from chargeyard.webhooks.models import WebhookSubscription
from chargeyard.webhooks.signing import signature

NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


def test_retry_delays_follow_the_schedule_with_jitter() -> None:
    schedule = [5.0, 30.0, 120.0]
    rng = random.Random(7)
    for attempt, base in enumerate(schedule, start=1):
        delays = [retry_delay(attempt, schedule, rng) for _ in range(200)]
        assert all(d is not None and base * 0.8 <= d <= base * 1.2 for d in delays)
        assert len({round(d or 0, 6) for d in delays}) > 100  # jittered, not constant
    assert retry_delay(len(schedule) + 1, schedule, rng) is None


def test_default_schedule_spans_about_a_day() -> None:
    from chargeyard.settings import Settings

    total = sum(Settings().webhooks_retry_schedule_s)
    assert 20 * 3600 <= total <= 28 * 3600


def test_disabling_needs_no_success_since_the_first_attempt() -> None:
    assert should_disable(None, NOW)
    assert should_disable(NOW - timedelta(hours=1), NOW)
    assert not should_disable(NOW + timedelta(minutes=5), NOW)


def test_request_is_signed_with_a_fresh_timestamp() -> None:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    request = build_request("http://example.com/h", [secret], "evt1", b"{}", NOW)
    assert request.headers["webhook-id"] == "evt1"
    assert request.headers["webhook-timestamp"] == str(int(NOW.timestamp()))
    assert request.headers["webhook-signature"] == signature(
        secret, "evt1", int(NOW.timestamp()), b"{}"
    )


def test_old_secret_signs_only_during_its_grace_period() -> None:
    sealer = Sealer(b"k" * 32)
    sub = WebhookSubscription(
        id="sub1",
        secret=sealer.seal("whsec_new", "sub1"),
        previous_secret=sealer.seal("whsec_old", "sub1"),
        previous_secret_expires_at=NOW,
    )
    assert sub.live_secrets(NOW - timedelta(seconds=1), sealer) == ["whsec_new", "whsec_old"]
    assert sub.live_secrets(NOW, sealer) == ["whsec_new"]
