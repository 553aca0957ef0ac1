"""Notification rules as pure values: which channels carry a rule's alerts, who is mailed, how happenings are
gathered into one digest, what the digest says (plain text and HTML), and how long a failed
send waits.

A storm (500 stations going offline together) must reach a person as one message: happenings
are queued per organization, kind (triggered or resolved) and recipient list, and a group is
mailed as one digest once its oldest happening has waited the digest window.
"""

import hashlib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from chargeyard.errors import Invalid

MAX_RECIPIENTS = 50
ADDRESS = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$"
)
"""A bare address (no display name): nothing that could break out of a header."""


class Kind(StrEnum):
    TRIGGERED = "triggered"
    RESOLVED = "resolved"


EVENT_KINDS = {"alert.triggered": Kind.TRIGGERED, "alert.resolved": Kind.RESOLVED}
"""The alert events that are mailed (an acknowledgement is somebody already acting)."""


WEBHOOK_EVENTS = frozenset({"alert.triggered", "alert.acknowledged", "alert.resolved"})
"""The alert events a rule's `webhook` choice holds back from webhook subscriptions."""


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
    kind: Kind, organization: str, happenings: Sequence[Happening], max_listed: int
) -> Digest:
    """A digest: every happening up to `max_listed`, oldest first, then how many more there
    were; the text and HTML bodies list the same lines."""
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
    return Digest(
        subject, _text(summary, listed, more), _html(subject, summary, kind, listed, more)
    )


FOOTER = "The alerts are listed in full at GET /api/v1/alerts."


def _text(summary: str, listed: Sequence[Happening], more: str | None) -> str:
    lines = [summary, "", *(f"- {_line(h)}" for h in listed)]
    if more is not None:
        lines.append(more)
    lines += ["", FOOTER]
    return "\n".join(lines) + "\n"


def _line(happening: Happening) -> str:
    at = _time(happening)
    return f"{at}  {happening.urgency:<6}  {happening.name}  {_where(happening)}"


def _where(happening: Happening) -> str:
    where = f"station {happening.station_id}"
    if happening.evse_id is not None:
        where += f", EVSE {happening.evse_id}"
    if happening.connector_id is not None:
        where += f", connector {happening.connector_id}"
    return where


def _time(happening: Happening) -> str:
    return happening.at.strftime("%Y-%m-%d %H:%M:%SZ")


URGENCY_COLOURS = {"High": "#b42318", "Medium": "#b54708", "Low": "#475467"}
CELL = "padding:4px 12px 4px 0;text-align:left;vertical-align:top"


def _html(
    subject: str, summary: str, kind: Kind, listed: Sequence[Happening], more: str | None
) -> str:
    """The digest as a small HTML document with inline styles (mail clients drop style sheets);
    every value is escaped, so a station id or organization name cannot inject markup."""
    e = html.escape
    heading = "Time (UTC)", "Urgency", "Alert", "Where"
    rows = "".join(
        "<tr>"
        f'<td style="{CELL};white-space:nowrap">{e(_time(h))}</td>'
        f'<td style="{CELL};color:{URGENCY_COLOURS.get(h.urgency, "#475467")};'
        f'font-weight:600">{e(h.urgency)}</td>'
        f'<td style="{CELL}">{e(h.name)}</td>'
        f'<td style="{CELL}">{e(_where(h))}</td>'
        "</tr>"
        for h in listed
    )
    head = "".join(f'<th style="{CELL}">{e(name)}</th>' for name in heading)
    tail = "" if more is None else f"<p>{e(more)}</p>"
    colour = "#b42318" if kind is Kind.TRIGGERED else "#067647"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(subject)}</title></head>"
        '<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#101828">'
        f'<p style="font-size:16px;color:{colour};font-weight:600">{e(summary)}</p>'
        f'<table style="border-collapse:collapse;font-size:14px"><thead><tr>{head}</tr>'
        f"</thead><tbody>{rows}</tbody></table>{tail}"
        f'<p style="color:#475467;font-size:12px">{e(FOOTER)}</p>'
        "</body></html>\n"
    )


def retry_delay_s(attempts: int, first_s: float, cap_s: float) -> float:
    """Exponential backoff after `attempts` failed sends: first_s, then twice as long each time, up to cap_s."""
    return float(min(cap_s, first_s * 2 ** max(0, attempts - 1)))
