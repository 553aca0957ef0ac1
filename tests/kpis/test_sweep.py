"""The uptime and connectivity sweeps against the definition read literally: the period cut at
every change of any timeline, each piece judged by every timeline's state at its beginning
(`Timeline.at`), in whole microseconds. The figures must be the same to the last bit, for random histories with ties,
changes before, at and after the period's bounds, and microseconds."""

from bisect import bisect_right
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.kpis.domain import (
    NEVER,
    OCCUPIED,
    Judged,
    Tally,
    Timeline,
    connectivity,
    connector_state,
    microseconds,
    uptime,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
STATUSES = ["Available", "Occupied", "Reserved", "Faulted", "Unavailable", "Finishing"]

instants = st.builds(
    lambda s, us: T0 + timedelta(seconds=s, microseconds=us),
    st.integers(-100, 1000),
    st.sampled_from([0, 0, 250_000, 999_999]),
)


def timelines(values: list[Any], initial: list[Any]) -> st.SearchStrategy[Timeline[Any]]:
    changes = st.lists(st.tuples(instants, st.sampled_from(values)), max_size=8)
    return st.builds(
        lambda init, found: Timeline(init, sorted(found, key=lambda c: c[0])),
        st.sampled_from(initial),
        changes,
    )


def at(timeline: Timeline[Any], instant: datetime) -> Any:
    index = bisect_right([when for when, _ in timeline.changes], instant)
    return timeline.initial if index == 0 else timeline.changes[index - 1][1]


def cut(start: datetime, end: datetime, lines: list[Timeline[Any]]) -> list[tuple[Any, Any]]:
    cuts = {start, end} | {when for line in lines for when, _ in line.changes if start < when < end}
    return list(pairwise(sorted(cuts)))


def literal_uptime(
    start: datetime,
    end: datetime,
    connected: Timeline[bool],
    station: Timeline[str],
    connectors: list[Timeline[str]],
    planned: Timeline[bool],
    charging: list[Timeline[bool]],
) -> Tally:
    if start >= end:
        return Tally()
    seconds = {judged: 0 for judged in Judged}
    occupied = flowing = 0
    delivering = charging[: len(connectors)] + [NEVER] * (len(connectors) - len(charging))
    for begin, finish in cut(start, end, [connected, station, *connectors, planned, *delivering]):
        length = microseconds(finish - begin)
        if at(planned, begin):
            seconds[Judged.EXCLUDED] += length * max(len(connectors), 1)
            continue
        online, itself = at(connected, begin), at(station, begin)
        statuses = [at(c, begin) for c in connectors] if connectors else [itself or "Available"]
        for index, status in enumerate(statuses):
            judged = connector_state(online, status, itself if connectors else None)
            seconds[judged] += length
            if judged is Judged.UP and status == OCCUPIED:
                occupied += length
                if connectors and at(delivering[index], begin):
                    flowing += length
    return Tally(
        seconds[Judged.UP], seconds[Judged.DOWN], seconds[Judged.EXCLUDED], occupied, flowing
    )


def literal_connectivity(start: datetime, end: datetime, connected: Timeline[bool]) -> Tally:
    if start >= end:
        return Tally()
    up = down = 0
    for begin, finish in cut(start, end, [connected]):
        if at(connected, begin):
            up += microseconds(finish - begin)
        else:
            down += microseconds(finish - begin)
    return Tally(up, down)


flags = timelines([True, False], [None, True, False])


@settings(max_examples=400, deadline=None)
@given(
    bounds=st.tuples(instants, instants),
    connected=flags,
    station=timelines(STATUSES, [None, "Available", "Faulted"]),
    connectors=st.lists(timelines(STATUSES, [None]), max_size=3),
    planned=timelines([True, False], [False]),
    charging=st.lists(timelines([True, False], [False]), max_size=4),
)
def test_uptime_is_the_definition_to_the_last_bit(
    bounds: tuple[datetime, datetime],
    connected: Timeline[bool],
    station: Timeline[str],
    connectors: list[Timeline[str]],
    planned: Timeline[bool],
    charging: list[Timeline[bool]],
) -> None:
    start, end = sorted(bounds)
    histories = (connected, station, connectors, planned, charging)
    assert uptime(start, end, *histories) == literal_uptime(start, end, *histories)


@settings(max_examples=400, deadline=None)
@given(bounds=st.tuples(instants, instants), connected=flags)
def test_connectivity_is_the_definition_to_the_last_bit(
    bounds: tuple[datetime, datetime], connected: Timeline[bool]
) -> None:
    start, end = sorted(bounds)
    assert connectivity(start, end, connected) == literal_connectivity(start, end, connected)
