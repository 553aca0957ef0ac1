"""Notification rules as pure values: which channels carry a rule's alerts, who is mailed, how happenings are
gathered into one digest, what the digest says (plain text and HTML, which links each station
and alert to its dashboard page when the dashboard's URL is known), and how long a failed send
waits.

A storm (500 stations going offline together) must reach a person as one message: happenings
are queued per organization, kind (triggered or resolved) and recipient list, and a group is
mailed as one digest once its oldest happening has waited the digest window.
"""

import hashlib
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlsplit

from chargeyard.errors import Invalid
from chargeyard.events.payloads import (
    ALERT_ACKNOWLEDGED,
    ALERT_RESOLVED,
    ALERT_TRIGGERED,
    AlertChanged,
)

MAX_RECIPIENTS = 50
ADDRESS = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$"
)
"""A bare address (no display name): nothing that could break out of a header."""


class Kind(StrEnum):
    TRIGGERED = "triggered"
    RESOLVED = "resolved"


EVENT_KINDS = {ALERT_TRIGGERED.name: Kind.TRIGGERED, ALERT_RESOLVED.name: Kind.RESOLVED}
"""The alert events that are mailed (an acknowledgement is somebody already acting)."""


WEBHOOK_EVENTS = frozenset({ALERT_TRIGGERED.name, ALERT_ACKNOWLEDGED.name, ALERT_RESOLVED.name})
"""The alert events a rule's `webhook` choice holds back from webhook subscriptions."""


def alert_of(type: str, data: Mapping[str, Any]) -> AlertChanged | None:
    """An alert event's payload, typed (`None` for an event of another type)."""
    for kind in (ALERT_TRIGGERED, ALERT_ACKNOWLEDGED, ALERT_RESOLVED):
        alert = kind.payload_of(type, data)
        if alert is not None:
            return alert
    return None


class MailStatus(StrEnum):
    PENDING = "Pending"
    SENT = "Sent"
    FAILED = "Failed"


def recipients(addresses: Sequence[str]) -> list[str]:
    """Validated, lower-cased, de-duplicated and sorted: the same people in another order are
    the same recipient list (and get one digest)."""
    found = sorted({address.strip().lower() for address in addresses})
    if len(found) > MAX_RECIPIENTS:
        raise Invalid(f"at most {MAX_RECIPIENTS} recipients")
    for address in found:
        if len(address) > 254 or not ADDRESS.match(address):
            raise Invalid(f"not an e-mail address: {address!r}")
    return found


def group_key(addresses: Sequence[str]) -> str:
    """A fixed-size key of a recipient list (lists are gathered per key)."""
    return hashlib.sha256(",".join(addresses).encode()).hexdigest()


@dataclass(frozen=True)
class Channel:
    """An organization's e-mail channel (`enabled`, `recipients`)."""

    enabled: bool = False
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleChannel:
    """One rule's choices: e-mail on or off and its own recipients (None: the organization's),
    and whether its alert events go to webhook subscriptions."""

    email: bool = True
    recipients: tuple[str, ...] | None = None
    webhook: bool = True


def addressees(channel: Channel, rule: RuleChannel) -> tuple[str, ...]:
    """Who is mailed about an alert of this rule; empty when nobody is."""
    if not (channel.enabled and rule.email):
        return ()
    return channel.recipients if rule.recipients is None else rule.recipients


@dataclass(frozen=True)
class Happening:
    """An alert raised or resolved, as a digest lists it."""

    name: str
    urgency: str
    station_id: str
    evse_id: int | None
    connector_id: int | None
    at: datetime
    alert_id: str = ""


@dataclass(frozen=True)
class Links:
    """The dashboard's pages a digest links to, under `base` (an http(s) URL without a trailing
    slash). Ids are percent-encoded into the path: a station id is whatever the station chose."""

    base: str

    def station(self, station_id: str) -> str:
        return f"{self.base}/stations/{quote(station_id, safe='')}"

    def alert(self, alert_id: str) -> str:
        return f"{self.base}/alerts/{quote(alert_id, safe='')}"

    def alerts(self, kind: Kind) -> str:
        """The dashboard's list of the alerts a digest of this kind is about."""
        return f"{self.base}/alerts" + ("?state=Resolved" if kind is Kind.RESOLVED else "")


def links_at(url: str | None) -> Links | None:
    """Links under the dashboard's base URL, or None (no links) when it is unset or not an
    absolute http(s) URL: a digest never carries a `javascript:` or relative link."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return None
    return Links(f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}")


def digest_due(oldest_queued: datetime, window_s: float, now: datetime) -> bool:
    return (now - oldest_queued).total_seconds() >= window_s


@dataclass(frozen=True)
class Digest:
    """A digest as it is mailed: its subject, and its body as plain text and as HTML (the same
    content; the HTML escapes every value that came from a station or an operator)."""

    subject: str
    text: str
    html: str


def compose(
    kind: Kind,
    organization: str,
    happenings: Sequence[Happening],
    max_listed: int,
    links: Links | None = None,
) -> Digest:
    """A digest: every happening up to `max_listed`, oldest first, then how many more there
    were; the text and HTML bodies list the same lines. With `links`, the HTML links each alert
    and station to its dashboard page and both bodies end with the dashboard's alert list."""
    organization = " ".join(organization.split())  # no line break may reach a header
    count = len(happenings)
    noun = "alert" if count == 1 else "alerts"
    subject = f"[Chargeyard] {count} {noun} {kind.value} ({organization})"
    stations = len({h.station_id for h in happenings})
    summary = (
        f"{count} {noun} {kind.value} in {organization}, on {stations} "
        f"station{'' if stations == 1 else 's'}:"
    )
    ordered = sorted(happenings, key=lambda h: (h.at, h.station_id, h.name))
    listed = ordered[:max_listed]
    more = f"... and {count - max_listed} more." if count > max_listed else None
    footer = _footer(kind, links)
    return Digest(
        subject,
        _text(summary, listed, more, footer),
        _html(subject, summary, kind, listed, more, links),
    )


FOOTER = "The alerts are listed in full at GET /api/v1/alerts."


def _footer(kind: Kind, links: Links | None) -> str:
    if links is None:
        return FOOTER
    return f"The alerts are listed in full at {links.alerts(kind)} (and GET /api/v1/alerts)."


def _text(summary: str, listed: Sequence[Happening], more: str | None, footer: str) -> str:
    lines = [summary, "", *(f"- {_line(h)}" for h in listed)]
    if more is not None:
        lines.append(more)
    lines += ["", footer]
    return "\n".join(lines) + "\n"


def _line(happening: Happening) -> str:
    at = _time(happening)
    return f"{at}  {happening.urgency:<6}  {happening.name}  {_where(happening)}"


def _where(happening: Happening) -> str:
    return f"station {happening.station_id}{_within(happening)}"


def _within(happening: Happening) -> str:
    """The EVSE and connector, if the alert names them."""
    within = ""
    if happening.evse_id is not None:
        within += f", EVSE {happening.evse_id}"
    if happening.connector_id is not None:
        within += f", connector {happening.connector_id}"
    return within


def _time(happening: Happening) -> str:
    return happening.at.strftime("%Y-%m-%d %H:%M:%SZ")


URGENCY_COLOURS = {"High": "#b42318", "Medium": "#b54708", "Low": "#475467"}
CELL = "padding:4px 12px 4px 0;text-align:left;vertical-align:top"
LINK = "color:#175cd3"


def _a(href: str, text: str) -> str:
    """A link; both the URL and the text are escaped (quotes too: the URL sits in an
    attribute)."""
    return f'<a href="{html.escape(href)}" style="{LINK}">{html.escape(text)}</a>'


def _alert_cell(happening: Happening, links: Links | None) -> str:
    if links is None or not happening.alert_id:
        return html.escape(happening.name)
    return _a(links.alert(happening.alert_id), happening.name)


def _where_cell(happening: Happening, links: Links | None) -> str:
    if links is None or not happening.station_id:
        return html.escape(_where(happening))
    station = _a(links.station(happening.station_id), f"station {happening.station_id}")
    return station + html.escape(_within(happening))


def _html(
    subject: str,
    summary: str,
    kind: Kind,
    listed: Sequence[Happening],
    more: str | None,
    links: Links | None,
) -> str:
    """The digest as a small HTML document with inline styles (mail clients drop style sheets);
    every value is escaped, so a station id or organization name cannot inject markup, and a
    link's URL is built from the configured base and percent-encoded ids only."""
    e = html.escape
    heading = "Time (UTC)", "Urgency", "Alert", "Where"
    rows = "".join(
        "<tr>"
        f'<td style="{CELL};white-space:nowrap">{e(_time(h))}</td>'
        f'<td style="{CELL};color:{URGENCY_COLOURS.get(h.urgency, "#475467")};'
        f'font-weight:600">{e(h.urgency)}</td>'
        f'<td style="{CELL}">{_alert_cell(h, links)}</td>'
        f'<td style="{CELL}">{_where_cell(h, links)}</td>'
        "</tr>"
        for h in listed
    )
    head = "".join(f'<th style="{CELL}">{e(name)}</th>' for name in heading)
    tail = "" if more is None else f"<p>{e(more)}</p>"
    footer = e(FOOTER)
    if links is not None:
        footer = (
            f"The alerts are listed in full {_a(links.alerts(kind), 'on the dashboard')} "
            "(and at GET /api/v1/alerts)."
        )
    colour = "#b42318" if kind is Kind.TRIGGERED else "#067647"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(subject)}</title></head>"
        '<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#101828">'
        f'<p style="font-size:16px;color:{colour};font-weight:600">{e(summary)}</p>'
        f'<table style="border-collapse:collapse;font-size:14px"><thead><tr>{head}</tr>'
        f"</thead><tbody>{rows}</tbody></table>{tail}"
        f'<p style="color:#475467;font-size:12px">{footer}</p>'
        "</body></html>\n"
    )


def retry_delay_s(attempts: int, first_s: float, cap_s: float) -> float:
    """Exponential backoff after `attempts` failed sends: first_s, then twice as long each time, up to cap_s."""
    return float(min(cap_s, first_s * 2 ** max(0, attempts - 1)))
