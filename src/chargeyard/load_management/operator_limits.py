"""Operators' power limits (`/stations/{id}/power-limit`) as constraints of the plan. Pure.

A limit an operator put on a station, an EVSE or a transaction caps what smart charging may
give there; planned beside it, smart charging would hand out power the station will not draw
(a limit on a station below its EVs' minimum left its sessions 4.2 kW each that they never
took while others waited at 0 kW). So each limit in force becomes a circuit of the snapshot,
below the circuit the station hangs on: one per limited station (its EVSEs), one per limited
EVSE below it, one per limited running transaction below that. A session whose minimum does
not fit under its limit is then paused by the allocation like any other, and what it would have
held goes to the others. Limits in A bound each line, as a circuit's `max_current_a` does.

What is in force is read from the command audit log: the power limits stations accepted
(`set-charging-profile` with a `limit`), less those an accepted `clear-charging-profile` removed
since (by the power limit's profile id, or by criteria: EVSE, purpose, stack level), less
those whose `duration_s` ran out.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from chargeyard.charging_profiles.domain import (
    LimitUnit,
    Purpose,
    limit_purpose,
    power_limit_id,
)
from chargeyard.smart_charging.snapshot import Circuit, CircuitId, EvseId, SiteSnapshot

ACCEPTED = "Accepted"


@dataclass(frozen=True)
class CommandFact:
    """What the command audit log says of one set- or clear-charging-profile a station answered."""

    station_id: str
    command: str
    request: Mapping[str, Any]
    status: str | None
    at: datetime


@dataclass(frozen=True)
class OperatorLimit:
    station_id: str
    evse_id: int
    """0: the whole station (with no transaction)."""
    transaction_id: int | None
    stack_level: int
    limit: float
    unit: LimitUnit
    ends: datetime | None

    @property
    def purpose(self) -> Purpose:
        return limit_purpose(self.evse_id, self.transaction_id)


def in_force(facts: Iterable[CommandFact], now: datetime) -> list[OperatorLimit]:
    """The power limits in force at `now`, from accepted commands in the order they were sent."""
    held: dict[tuple[str, Purpose, int, int | None, int], OperatorLimit] = {}
    for fact in sorted(facts, key=lambda f: f.at):
        if fact.status != ACCEPTED:
            continue
        if fact.command == "set-charging-profile" and "limit" in fact.request:
            limit = _limit_of(fact)
            if limit is not None:
                held[_key(limit)] = limit
        elif fact.command == "clear-charging-profile":
            for key in [k for k, v in held.items() if _clears(fact, v)]:
                del held[key]
    return [v for v in held.values() if v.ends is None or v.ends > now]


def _key(limit: OperatorLimit) -> tuple[str, Purpose, int, int | None, int]:
    return (limit.station_id, limit.purpose, limit.evse_id, limit.transaction_id, limit.stack_level)


def _limit_of(fact: CommandFact) -> OperatorLimit | None:
    body = fact.request
    try:
        duration = body.get("duration_s")
        return OperatorLimit(
            station_id=fact.station_id,
            evse_id=int(body.get("evse_id") or 0),
            transaction_id=None
            if body.get("transaction_id") is None
            else int(body["transaction_id"]),
            stack_level=int(body.get("stack_level") or 0),
            limit=float(body["limit"]),
            unit=LimitUnit(body.get("unit") or LimitUnit.KW),
            ends=None if duration is None else fact.at + timedelta(seconds=int(duration)),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _clears(fact: CommandFact, limit: OperatorLimit) -> bool:
    """Whether an accepted clear removed `limit` (same station)."""
    if fact.station_id != limit.station_id:
        return False
    body = fact.request
    if "transaction_id" in body:  # a power limit's own clear (`/power-limit` DELETE)
        transaction_id = body.get("transaction_id")
        if transaction_id is not None:
            return limit.transaction_id == int(transaction_id) and limit.stack_level == int(
                body.get("stack_level") or 0
            )
        evse_id, stack = int(body.get("evse_id") or 0), int(body.get("stack_level") or 0)
        return limit.transaction_id is None and (limit.evse_id, limit.stack_level) == (
            evse_id,
            stack,
        )
    if body.get("id") is not None:
        if limit.transaction_id is not None:
            return False  # a TxProfile's id depends on the EVSE it ran on: cleared by criteria
        return int(body["id"]) == power_limit_id(limit.purpose, limit.evse_id, limit.stack_level)
    criteria = (
        (body.get("evse_id"), limit.evse_id),
        (body.get("purpose"), limit.purpose.value),
        (body.get("stack_level"), limit.stack_level),
    )
    return all(wanted is None or wanted == value for wanted, value in criteria)


def with_operator_limits(
    snapshot: SiteSnapshot,
    limits: Iterable[OperatorLimit],
    places: Mapping[EvseId, tuple[str, int]],
    transactions: Mapping[int, tuple[str, int]],
) -> SiteSnapshot:
    """`snapshot` with a circuit per limited station, EVSE and running transaction, the EVSEs
    moved below them. `places`: EVSE -> (station, number); `transactions`: running
    transaction -> (station, EVSE number)."""
    chosen = list(limits)
    if not chosen:
        return snapshot
    circuits = list(snapshot.circuits)
    home: dict[EvseId, CircuitId] = {e.id: e.circuit_id for e in snapshot.evses}
    levels: list[tuple[str, list[OperatorLimit]]] = [
        ("station", [v for v in chosen if v.purpose is Purpose.CHARGE_POINT_MAX]),
        ("evse", [v for v in chosen if v.purpose is Purpose.TX_DEFAULT]),
        ("transaction", [v for v in chosen if v.purpose is Purpose.TX]),
    ]
    count = 0
    for level, found in levels:
        for limit in sorted(found, key=lambda v: (v.station_id, v.evse_id, v.stack_level)):
            covered = _covered(limit, places, transactions)
            if not covered:
                continue
            count += 1  # two limits on one place (stack levels) are two circuits, nested
            circuit_id = CircuitId(
                f"operator-limit:{count}:{level}:{limit.station_id}#{limit.evse_id}"
            )
            in_kw = limit.unit is LimitUnit.KW
            circuits.append(
                Circuit(
                    id=circuit_id,
                    parent_id=home[covered[0]],
                    max_power_kw=limit.limit if in_kw else None,
                    max_current_a=None if in_kw else limit.limit,
                )
            )
            for evse_id in covered:
                home[evse_id] = circuit_id
    evses = tuple(replace(e, circuit_id=home[e.id]) for e in snapshot.evses)
    return replace(snapshot, circuits=tuple(circuits), evses=evses)


def _covered(
    limit: OperatorLimit,
    places: Mapping[EvseId, tuple[str, int]],
    transactions: Mapping[int, tuple[str, int]],
) -> list[EvseId]:
    """The EVSEs a limit applies to now (a transaction's: only while it runs)."""
    if limit.transaction_id is not None:
        running = transactions.get(limit.transaction_id)
        if running is None or running[0] != limit.station_id:
            return []
        return [k for k, place in places.items() if place == running]
    return sorted(
        k
        for k, (station_id, number) in places.items()
        if station_id == limit.station_id and limit.evse_id in (0, number)
    )
