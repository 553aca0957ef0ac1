"""The default tariffs an OCPP 2.1 station holds, read from the command log, and the commands
that bring it to the ones it should hold. Pure: no database, no station.

Tariffs are named as on the station (`<tariff id>-v<version>`). A default tariff is installed
per EVSE; `evseId` 0 installs it on every EVSE, replacing what each held (OCPP 2.1 I07), so an
EVSE with a tariff of its own is sent it after its station's. Holdings map an EVSE (0: the
station's default) to the tariff it holds, `None` where one was cleared; an EVSE missing from
them holds the station's.

What the station should hold (a plan) maps 0 to the tariff that prices its sessions (None: no
tariff applies) and each EVSE whose own tariff differs to that one. `steps` is what to send
to get there from the holdings: nothing when they agree, so a change heard twice, a change
that does not touch the station, or a reconnection after which it still holds its plan, sends
nothing. After a boot the station may have kept its tariffs or lost them: what it surely holds
(`sure`) is only what was sent on its current connection (`holdings(..., since=` its
connection`)`), so the rest of its plan is sent again (what it kept answers
`DuplicateTariffId`), nothing sent since it connected is sent twice, and what it may have kept
and should not hold is cleared.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

SET, CLEAR = "set-default-tariff", "clear-tariffs"
_HELD = frozenset({"Accepted", "DuplicateTariffId"})
_GONE = frozenset({"Accepted", "NoTariff"})

Holdings = dict[int, str | None]
Plan = dict[int, str | None]


@dataclass(frozen=True)
class Sent:
    """An answered tariff command of the log: its name, what went on the wire, its status,
    when it went."""

    command: str
    request: dict[str, Any]
    status: str | None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class Step:
    """`SET`: install the tariff that prices sessions at `evse_id` (0: the station) now;
    `CLEAR`: remove `tariff_id` at `evse_id` (0: everywhere)."""

    command: str
    evse_id: int
    tariff_id: str | None = None


def holdings(sent: Iterable[Sent], since: datetime | None = None) -> Holdings:
    """What the station holds after the commands `sent`, oldest first; with `since`, after
    those of them sent since then only."""
    held: Holdings = {}
    for record in sent:
        if since is not None and (record.sent_at is None or record.sent_at < since):
            continue
        if record.command == SET and record.status in _HELD:
            evse_id = int(record.request["evseId"])
            tariff_id = str(record.request["tariff"]["tariffId"])
            if evse_id == 0 and record.status == "Accepted":
                held = {0: tariff_id}
            else:
                held[evse_id] = tariff_id
        elif record.command == CLEAR and record.status in _GONE:
            held = _cleared(held, record.request.get("tariffIds"), record.request.get("evseId"))
    return held


def _cleared(held: Holdings, tariff_ids: list[str] | None, evse_id: int | None) -> Holdings:
    def goes(tariff_id: str | None) -> bool:
        return tariff_id is not None and (tariff_ids is None or tariff_id in tariff_ids)

    if evse_id is None:
        return {evse: tariff_id for evse, tariff_id in held.items() if not goes(tariff_id)}
    kept = dict(held)
    if goes(held_at(held, evse_id)):
        kept[evse_id] = None
    return kept


def held_at(held: Holdings, evse_id: int) -> str | None:
    return held[evse_id] if evse_id in held else held.get(0)


def steps(
    plan: Plan, evse_ids: Iterable[int], held: Holdings, sure: Holdings | None = None
) -> list[Step]:
    """What to send to a station that may hold `held` and surely holds `sure` (the same when
    not given) to bring it to `plan`: a tariff is installed where either says it is missing,
    cleared where `held` says it may be."""
    now = dict(held)
    known = now if sure is None else dict(sure)
    found: list[Step] = []
    station = plan.get(0)
    if station is None:
        old = now.get(0)
        if old is not None:
            found.append(Step(CLEAR, 0, old))
            now = _cleared(now, [old], None)
            known = _cleared(known, [old], None)
    elif now.get(0) != station or known.get(0) != station:
        found.append(Step(SET, 0))
        now = known = {0: station}
    for evse_id in sorted((set(evse_ids) | set(plan) | set(now) | set(known)) - {0}):
        want = plan.get(evse_id, station)
        have = held_at(now, evse_id)
        if want is None:
            if have is not None:
                found.append(Step(CLEAR, evse_id, have))
        elif want != have or want != held_at(known, evse_id):
            found.append(Step(SET, evse_id))
    return found
