"""Turns: who is admitted when a circuit cannot give every session its minimum.

Load sharing pauses a session (0 kW) rather than give it less than its EV's minimum. Admitting
first come, first served would let the sessions that came first keep the power while later ones
wait indefinitely; here paused sessions take turns instead. Each session's place in the
admission order follows from its `Turn`:

1. sessions in their turn (admitted from waiting less than a slice ago) keep their place, so a
   turn lasts at least one slice and shares do not flap every control step;
2. then the sessions waiting, longest *weighted* wait first: seconds paused times the weight of
   their priority (16, 8, 4, 2, 1 for priority 1 … 5), so a higher priority gets turns more
   often but a low one's claim grows until it is served;
3. last the sessions served whose turn is over, and those whose EV draws well below the
   minimum it is offered (a full or sleeping EV): they give their place to anyone waiting.

A waiting session that is admitted starts a turn of its circuit's slice. Once one session in
that order does not fit, sessions further back may still be admitted into what is left (no
capacity idles) but start no turn: they have no protection against the one that did not fit,
which is tried again before them at every step. Priority 0 (opt-out) is outside the rotation:
always first. Pure: the previous turns and a snapshot in, the order and the next turns out.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from chargeyard.smart_charging.snapshot import Session, SessionId, SiteSnapshot

DEFAULT_SLICE_S = 300.0
PRIORITY_WEIGHT = {0: 0.0, 1: 16.0, 2: 8.0, 3: 4.0, 4: 2.0, 5: 1.0}


@dataclass(frozen=True)
class Turn:
    """Where one session stands. Served: `waiting_since` is None; its turn protects its place
    until `turn_ends` (None or past: no protection). Paused: waiting since `waiting_since`."""

    waiting_since: datetime | None = None
    turn_ends: datetime | None = None


@dataclass(frozen=True)
class Rotation:
    """The turns so far (sessions absent from it are new: waiting since they arrived)."""

    turns: Mapping[SessionId, Turn]
    default_slice_s: float = DEFAULT_SLICE_S


def slice_of(snapshot: SiteSnapshot, session: Session, default_s: float) -> float:
    """The slice of the nearest circuit above the session's EVSE that sets one."""
    circuit_id = snapshot.evse(session.evse_id).circuit_id
    for circuit in snapshot.ancestors(circuit_id):
        if circuit.rotation_slice_s is not None:
            return circuit.rotation_slice_s
    return default_s


def turn_of(rotation: Rotation, session: Session) -> Turn:
    return rotation.turns.get(session.id) or Turn(waiting_since=session.arrival)


def order(
    snapshot: SiteSnapshot, rotation: Rotation, idle: Sequence[bool]
) -> tuple[list[int], set[int]]:
    """Admission order (indices of `snapshot.sessions`) and the waiting ones among them.

    `idle[i]`: session i's EV draws well below the minimum it is offered."""
    now = snapshot.now
    first, in_turn, waiting, done = [], [], [], []
    for i, s in enumerate(snapshot.sessions):
        turn = turn_of(rotation, s)
        if s.priority == 0:
            first.append(i)
        elif turn.waiting_since is not None:
            waited = max((now - turn.waiting_since).total_seconds(), 0.0)
            waiting.append((-waited * PRIORITY_WEIGHT[s.priority], i))
        elif turn.turn_ends is not None and turn.turn_ends > now and not idle[i]:
            in_turn.append((turn.turn_ends, i))
        else:
            done.append(i)

    def ranked(i: int) -> tuple[int, datetime, str]:
        s = snapshot.sessions[i]
        return (s.priority, s.arrival, s.id)

    first.sort(key=ranked)
    in_turn.sort(key=lambda pair: (-pair[0].timestamp(), ranked(pair[1])))
    waiting.sort(key=lambda pair: (pair[0], ranked(pair[1])))
    done.sort(key=ranked)
    sequence = first + [i for _, i in in_turn] + [i for _, i in waiting] + done
    return sequence, {i for _, i in waiting}


def next_turns(
    snapshot: SiteSnapshot,
    rotation: Rotation,
    sequence: Sequence[int],
    waiting: set[int],
    served: Sequence[bool],
    first_refused: int | None,
) -> dict[SessionId, Turn]:
    """The turns after a step that served `served[i]`; `first_refused` is the position in
    `sequence` of the first session that did not fit (None: every one did)."""
    now = snapshot.now
    cut = len(sequence) if first_refused is None else first_refused
    before = set(sequence[:cut])
    turns: dict[SessionId, Turn] = {}
    for i, s in enumerate(snapshot.sessions):
        turn = turn_of(rotation, s)
        if not served[i]:
            turns[s.id] = Turn(waiting_since=turn.waiting_since or now)
        elif i in waiting and i in before:
            length = timedelta(seconds=slice_of(snapshot, s, rotation.default_slice_s))
            turns[s.id] = Turn(turn_ends=now + length)
        elif i in waiting:
            turns[s.id] = Turn(turn_ends=now)  # admitted into what was left: no turn
        else:
            turns[s.id] = Turn(turn_ends=turn.turn_ends)
    return turns
