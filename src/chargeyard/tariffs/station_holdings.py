"""The default tariffs an OCPP 2.1 station holds, read from the command log, and the commands
that bring it to the ones it should hold. Pure: no database, no station.

Tariffs are named as on the station (`<tariff id>-v<version>`). A default tariff is installed
per EVSE; `evseId` 0 installs it on every EVSE, replacing what each held (OCPP 2.1 I07), so an
EVSE with a tariff of its own is sent it after its station's. Holdings map an EVSE (0: the
station's default) to the tariff it holds, `None` where one was cleared; an EVSE missing from
them holds the station's.

What the station should hold (a plan) maps 0 to the tariff that prices its sessions (None: no
tariff applies) and each EVSE whose own tariff differs to that one. `steps` is what to send
to get there from the holdings: nothing when they agree, so a change heard twice, or a change
that does not touch the station, sends nothing. After a boot (`full`) the plan is sent whole,
the station may have lost its tariffs; what it keeps answers `DuplicateTariffId`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SET, CLEAR = "set-default-tariff", "clear-tariffs"
_HELD = frozenset({"Accepted", "DuplicateTariffId"})
_GONE = frozenset({"Accepted", "NoTariff"})

Holdings = dict[int, str | None]
Plan = dict[int, str | None]


@dataclass(frozen=True)
class Sent:
    """An answered tariff command of the log: its name, what went on the wire, its status."""

    command: str
    request: dict[str, Any]
    status: str | None


@dataclass(frozen=True)
class Step:
    """`SET`: install the tariff that prices sessions at `evse_id` (0: the station) now;
    `CLEAR`: remove `tariff_id` at `evse_id` (0: everywhere)."""

    command: str
    evse_id: int
    tariff_id: str | None = None


def holdings(sent: Iterable[Sent]) -> Holdings:
    """What the station holds after the commands `sent`, oldest first."""
    held: Holdings = {}
    for record in sent:
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


def steps(plan: Plan, evse_ids: Iterable[int], held: Holdings, *, full: bool = False) -> list[Step]:
    now = dict(held)
    found: list[Step] = []
    station = plan.get(0)
    if station is None:
        old = now.get(0)
        if old is not None:
            found.append(Step(CLEAR, 0, old))
            now = _cleared(now, [old], None)
    elif full or now.get(0) != station:
        found.append(Step(SET, 0))
        now = {0: station}
    for evse_id in sorted((set(evse_ids) | set(plan) | set(now)) - {0}):
        want = plan.get(evse_id, station)
        have = held_at(now, evse_id)
        if want is None:
            if have is not None:
                found.append(Step(CLEAR, evse_id, have))
        elif want != have or (full and evse_id in plan):
            found.append(Step(SET, evse_id))
    return found
