"""Factories for smart-charging snapshots."""

from datetime import UTC, datetime, timedelta

from chargeyard.smart_charging.electrical import ElectricalSpec, Line, Supply
from chargeyard.smart_charging.snapshot import (
    Circuit,
    CircuitId,
    Evse,
    EvseId,
    Session,
    SessionId,
    SiteSnapshot,
)

NOW = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
THREE_PHASE = ElectricalSpec(Supply.AC_THREE_PHASE_LN, 230.0)


def single_phase(*lines: Line) -> ElectricalSpec:
    return ElectricalSpec(Supply.AC_SINGLE_PHASE, 400.0 if len(lines) == 2 else 230.0, lines=lines)


def evse(
    number: int,
    circuit: str = "site",
    spec: ElectricalSpec = THREE_PHASE,
    max_kw: float = 11.0,
    min_kw: float = 0.0,
    step_kw: float = 0.0,
) -> Evse:
    return Evse(EvseId(f"e{number}"), CircuitId(circuit), spec, max_kw, min_kw, step_kw)


def session(number: int, priority: int = 3, **fields: float | None) -> Session:
    return Session(
        SessionId(f"s{number}"),
        EvseId(f"e{number}"),
        NOW - timedelta(minutes=number),
        priority=priority,
        **fields,  # type: ignore[arg-type]
    )


def site(
    circuits: tuple[Circuit, ...], evses: tuple[Evse, ...], sessions: tuple[Session, ...]
) -> SiteSnapshot:
    return SiteSnapshot(NOW, circuits, evses, sessions)
