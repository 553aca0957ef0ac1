"""The pure e-mail rules: recipient lists, who is mailed, the digest's text, the backoff."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chargeyard.alert_notifications.domain import (
    Channel,
    Happening,
    Kind,
    Links,
    RuleChannel,
    addressees,
    compose,
    digest_due,
    group_key,
    links_at,
    recipients,
    retry_delay_s,
)
from chargeyard.errors import Invalid
from chargeyard.settings import Settings

AT = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)


def test_recipients_are_one_sorted_lower_case_list() -> None:
    found = recipients(["B@example.com", "a@example.com", " b@example.com"])
    assert found == ["a@example.com", "b@example.com"]
    assert group_key(found) == group_key(recipients(["a@EXAMPLE.com", "b@example.com"]))


@pytest.mark.parametrize(
    "bad", ["nobody", "a@b@c", "A <a@b.example>", "a@b.example\nBcc: c@d.example", "a,b@c.example"]
)
def test_anything_but_a_bare_address_is_refused(bad: str) -> None:
    with pytest.raises(Invalid):
        recipients([bad])


def test_the_channel_and_the_rule_decide_who_is_mailed() -> None:
    channel = Channel(True, ("ops@example.com",))
    assert addressees(channel, RuleChannel()) == ("ops@example.com",)
    assert addressees(channel, RuleChannel(False)) == ()
    assert addressees(channel, RuleChannel(True, ("hw@example.com",))) == ("hw@example.com",)
    assert addressees(Channel(False, ("ops@example.com",)), RuleChannel()) == ()


def happening(n: int) -> Happening:
    return Happening(
        "station-offline", "High", f"CP-{n:03d}", None, None, AT + timedelta(seconds=n)
    )


def test_a_digest_lists_oldest_first_up_to_the_cap() -> None:
    digest = compose(Kind.TRIGGERED, "Acme", [happening(n) for n in (3, 1, 2)], 2)
    subject, body = digest.subject, digest.text
    assert subject == "[Chargeyard] 3 alerts triggered (Acme)"
    assert body.index("CP-001") < body.index("CP-002")
    assert "CP-003" not in body and "... and 1 more." in body
    assert "on 3 stations" in body


def test_an_organization_name_cannot_break_the_subject_header() -> None:
    subject = compose(Kind.TRIGGERED, "Acme\r\nBcc: x@evil.example", [happening(1)], 10).subject
    assert subject == "[Chargeyard] 1 alert triggered (Acme Bcc: x@evil.example)"


def test_the_html_digest_escapes_what_stations_and_operators_named() -> None:
    hostile = Happening("vendor-error", "Medium", 'CP-<script>alert("x")</script>', 1, 2, AT)
    digest = compose(Kind.TRIGGERED, "Acme & <b>Sons</b>", [hostile, happening(1)], 10)
    page = digest.html
    assert "<script>" not in page and "<b>" not in page
    assert "CP-&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;, EVSE 1, connector 2" in page
    assert "Acme &amp; &lt;b&gt;Sons&lt;/b&gt;" in page
    assert page.startswith("<!DOCTYPE html>") and page.count("<tr>") == 3
    assert page.index("vendor-error") < page.index("CP-001")  # oldest first, as the text
    # The text is the same digest, unescaped (a text body has no markup to break).
    assert 'CP-<script>alert("x")</script>' in digest.text


def test_without_a_dashboard_url_a_digest_has_no_links() -> None:
    digest = compose(Kind.TRIGGERED, "Acme", [happening(1)], 10)
    assert "<a " not in digest.html and "href" not in digest.html
    assert "GET /api/v1/alerts" in digest.text


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("https://csms.example.com", "https://csms.example.com"),
        ("https://csms.example.com/ops/", "https://csms.example.com/ops"),
        (" http://127.0.0.1:8000/ ", "http://127.0.0.1:8000"),
        (None, None),
        ("", None),
        ("javascript:alert(1)", None),
        ("ftp://files.example.com", None),
        ("/relative", None),
        ("https://csms.example.com/?next=x", None),
        ("https://csms.example.com/#top", None),
    ],
)
def test_links_are_made_only_under_an_absolute_http_url(url: str | None, base: str | None) -> None:
    links = links_at(url)
    assert (None if links is None else links.base) == base


def test_the_html_digest_links_each_alert_and_station_to_its_dashboard_page() -> None:
    hostile = 'CP-"><script>x</script> 1/2'
    raised = Happening("vendor-error", "Medium", hostile, 1, 2, AT, "a1b2")
    links = Links("https://csms.example.com/ops")
    digest = compose(Kind.TRIGGERED, "Acme", [raised, happening(1)], 10, links)
    page = digest.html
    assert "<script>" not in page
    assert (
        '<a href="https://csms.example.com/ops/stations/CP-%22%3E%3Cscript%3Ex%3C%2Fscript%3E'
        '%201%2F2" style="color:#175cd3">station CP-&quot;&gt;&lt;script&gt;x&lt;/script&gt; '
        "1/2</a>, EVSE 1, connector 2"
    ) in page
    assert (
        '<a href="https://csms.example.com/ops/alerts/a1b2" style="color:#175cd3">vendor-error'
        in page
    )
    assert page.count("/ops/stations/") == 2
    assert page.count("/ops/alerts/") == 1  # a happening without an alert id is not linked
    assert '<a href="https://csms.example.com/ops/alerts" ' in page  # the whole list
    assert "https://csms.example.com/ops/alerts (and GET /api/v1/alerts)" in digest.text
    resolved = compose(Kind.RESOLVED, "Acme", [raised], 10, links)
    assert "https://csms.example.com/ops/alerts?state=Resolved" in resolved.text
    assert 'href="https://csms.example.com/ops/alerts?state=Resolved"' in resolved.html


@pytest.mark.parametrize("url", ["csms.example.com", "javascript:x", "https://x.example/?a=b"])
def test_a_dashboard_url_that_cannot_be_linked_is_refused_at_start_up(url: str) -> None:
    with pytest.raises(ValueError, match="dashboard_url"):
        Settings(dashboard_url=url)
    assert Settings(dashboard_url="https://x.example/").dashboard_url == "https://x.example"


def test_one_alert_reads_as_one() -> None:
    digest = compose(Kind.RESOLVED, "Acme", [happening(1)], 10)
    subject, body = digest.subject, digest.text
    assert subject == "[Chargeyard] 1 alert resolved (Acme)"
    assert "on 1 station:" in body and "more." not in body


@given(st.lists(st.integers(0, 999), min_size=1, max_size=60), st.integers(1, 80))
def test_every_happening_is_listed_or_counted(numbers: list[int], cap: int) -> None:
    digest = compose(Kind.TRIGGERED, "Acme", [happening(n) for n in numbers], cap)
    body = digest.text
    listed = body.count("\n- ")
    rest = len(numbers) - listed
    assert listed == min(cap, len(numbers))
    assert (f"... and {rest} more." in body) == (rest > 0)
    # The HTML lists the same happenings, one row each.
    assert digest.html.count("<tr>") == listed + 1  # and the heading
    assert (f"... and {rest} more." in digest.html) == (rest > 0)


def test_the_window_and_the_backoff() -> None:
    assert not digest_due(AT, 60, AT + timedelta(seconds=59))
    assert digest_due(AT, 60, AT + timedelta(seconds=60))
    assert [retry_delay_s(n, 30, 3600) for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]
