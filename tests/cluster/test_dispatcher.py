"""`ClusterDispatcher` between two workers of one cluster, each with a stand-in local dispatcher:
today's outcomes (answer, 409, 504, 502, 422) arrive from the holder unchanged."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from chargeyard.cluster.dispatcher import ClusterDispatcher
from chargeyard.cluster.mailbox import Mailbox
from chargeyard.commands.dispatcher import Dispatcher, Outcome
from chargeyard.commands.domain import (
    Answer,
    Command,
    CommandNotSupported,
    Reset,
    ResetType,
    Sent,
    StationCallError,
)
from chargeyard.errors import StationOffline, StationTimeout
from tests.cluster.conftest import MakeBus, die

CP = "CP-HERE"


@dataclass
class StandIn(Dispatcher):
    """A worker's local dispatcher: it holds `stations` and answers with `outcome(command)`."""

    stations: set[str] = field(default_factory=set)
    outcome: Callable[[Command], Outcome] = lambda _c: Outcome(answer=Answer("Accepted", {}))
    received: list[tuple[str, Command, float]] = field(default_factory=list)

    async def send(self, station_id: str, command: Command, timeout_s: float) -> Outcome:
        self.received.append((station_id, command, timeout_s))
        if station_id not in self.stations:
            return Outcome(error=StationOffline(f"station {station_id!r} is not connected"))
        return self.outcome(command)


@dataclass
class Worker:
    local: StandIn
    dispatcher: ClusterDispatcher
    mailbox: Mailbox


async def worker(make_bus: MakeBus, stations: frozenset[str] = frozenset()) -> Worker:
    bus = await make_bus()
    mailbox = Mailbox(bus)
    await mailbox.start()
    local = StandIn(set(stations))
    trips: list[tuple[str, float]] = []
    dispatcher = ClusterDispatcher(
        local, local.stations.__contains__, bus, mailbox, lambda r, s: trips.append((r, s))
    )
    for station in stations:
        await bus.claim(station)
    return Worker(local, dispatcher, mailbox)


RESET = Reset(type=ResetType.HARD, evse_id=2)
SENT = Sent("Reset", {"type": "Hard"})


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (Outcome(SENT, answer=Answer("Accepted", {"status": "Accepted"})), None),
        (Outcome(SENT, error=StationTimeout("silent")), StationTimeout),
        (Outcome(SENT, error=StationCallError("NotSupported", "no")), StationCallError),
        (Outcome(error=CommandNotSupported("reset", "ocpp1.6")), CommandNotSupported.__base__),
    ],
)
async def test_the_holders_outcome_comes_back_as_it_was(
    make_bus: MakeBus, outcome: Outcome, expected: type[Exception] | None
) -> None:
    here = await worker(make_bus)
    there = await worker(make_bus, frozenset({CP}))
    there.local.outcome = lambda _c: outcome
    try:
        got = await here.dispatcher.send(CP, RESET, 7.0)
    finally:
        await here.mailbox.stop()
        await there.mailbox.stop()
    assert there.local.received == [(CP, RESET, 7.0)]
    assert here.local.received == []
    assert got.sent == outcome.sent
    assert got.answer == outcome.answer
    if expected is None:
        assert got.error is None
    else:
        assert type(got.error) is expected
        assert outcome.error is not None and got.error is not None
        assert got.error.detail == outcome.error.detail
        assert got.error.status == outcome.error.status
    if isinstance(outcome.error, StationCallError):
        assert isinstance(got.error, StationCallError) and got.error.code == "NotSupported"


async def test_a_station_held_here_never_crosses_the_bus(make_bus: MakeBus) -> None:
    here = await worker(make_bus, frozenset({CP}))
    try:
        got = await here.dispatcher.send(CP, RESET, 1.0)
    finally:
        await here.mailbox.stop()
    assert got.answer is not None and len(here.local.received) == 1


async def test_nobody_holding_the_station_is_409(make_bus: MakeBus) -> None:
    here = await worker(make_bus)
    try:
        got = await here.dispatcher.send("CP-NOWHERE", RESET, 1.0)
    finally:
        await here.mailbox.stop()
    assert isinstance(got.error, StationOffline)


async def test_a_holder_that_died_is_409_not_a_wait(make_bus: MakeBus) -> None:
    here = await worker(make_bus)
    there = await worker(make_bus, frozenset({CP}))
    await there.mailbox.stop()  # its inbox is unread, as after a SIGKILL
    await die(there.dispatcher.bus)
    try:
        async with asyncio.timeout(5):
            got = await here.dispatcher.send(CP, RESET, 30.0)
    finally:
        await here.mailbox.stop()
    assert isinstance(got.error, StationOffline)
