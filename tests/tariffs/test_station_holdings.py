"""What a 2.1 station holds, read from its answered tariff commands, and what to send it so it
holds its plan: nothing when they agree."""

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from chargeyard.tariffs.station_holdings import (
    CLEAR,
    SET,
    Plan,
    Sent,
    Step,
    held_at,
    holdings,
    steps,
)


def installed(
    evse_id: int, tariff_id: str, status: str = "Accepted", at: datetime | None = None
) -> Sent:
    return Sent(SET, {"evseId": evse_id, "tariff": {"tariffId": tariff_id}}, status, at)


def cleared(tariff_ids: list[str] | None = None, evse_id: int | None = None) -> Sent:
    request: dict[str, Any] = {}
    if tariff_ids is not None:
        request["tariffIds"] = tariff_ids
    if evse_id is not None:
        request["evseId"] = evse_id
    return Sent(CLEAR, request, "Accepted")


def test_evse_0_installs_on_every_evse_and_replaces_their_own() -> None:
    held = holdings([installed(2, "E-v1"), installed(0, "S-v1")])
    assert held == {0: "S-v1"}
    assert held_at(held, 2) == "S-v1"
    # An EVSE's own tariff after it stays its own; a refused one changes nothing.
    held = holdings([installed(0, "S-v1"), installed(2, "E-v1"), installed(1, "X-v1", "Rejected")])
    assert held == {0: "S-v1", 2: "E-v1"}
    # A duplicate at EVSE 0 changed nothing on the station, but says it holds that tariff.
    held = holdings(
        [installed(0, "S-v1"), installed(2, "E-v1"), installed(0, "S-v1", "DuplicateTariffId")]
    )
    assert held == {0: "S-v1", 2: "E-v1"}


def test_clearing_by_id_and_by_evse() -> None:
    base = [installed(0, "S-v1"), installed(2, "E-v1")]
    assert holdings([*base, cleared(["S-v1"])]) == {2: "E-v1"}
    assert holdings([*base, cleared()]) == {}
    refused = Sent(CLEAR, {}, "Rejected")
    assert holdings([*base, refused]) == {0: "S-v1", 2: "E-v1"}
    # Clearing at an EVSE that held its station's tariff leaves it with none.
    at_one = holdings([*base, cleared(evse_id=1)])
    assert (held_at(at_one, 1), held_at(at_one, 2), held_at(at_one, 3)) == (None, "E-v1", "S-v1")


def test_nothing_is_sent_when_the_station_holds_its_plan() -> None:
    held = holdings([installed(0, "S-v1"), installed(2, "E-v1")])
    assert steps({0: "S-v1", 2: "E-v1"}, [1, 2], held) == []
    # After a boot with nothing sent since it connected, the plan is sent whole: the station
    # may have lost it.
    assert steps({0: "S-v1", 2: "E-v1"}, [1, 2], held, {}) == [Step(SET, 0), Step(SET, 2)]


CONNECTED = datetime(2026, 12, 6, 10, tzinfo=UTC)
BEFORE, SINCE = CONNECTED - timedelta(minutes=5), CONNECTED + timedelta(seconds=1)


def test_after_a_boot_what_was_sent_on_its_connection_is_not_sent_again() -> None:
    """A station that reconnected was sent the tariff changed while it was away, then booted:
    its boot sends nothing more."""
    log = [installed(0, "S-v1", at=BEFORE), installed(2, "E-v1", at=BEFORE)]
    log += [installed(0, "S-v2", at=SINCE), installed(2, "E-v1", at=SINCE)]
    sure = holdings(log, since=CONNECTED)
    assert sure == {0: "S-v2", 2: "E-v1"}
    assert steps({0: "S-v2", 2: "E-v1"}, [1, 2], holdings(log), sure) == []
    # Only the station's was sent since: the EVSE's own is sent again, it may be lost.
    sure = holdings(log[:3], since=CONNECTED)
    assert sure == {0: "S-v2"}
    assert steps({0: "S-v2", 2: "E-v1"}, [1, 2], holdings(log[:3]), sure) == [Step(SET, 2)]


def test_after_a_boot_a_tariff_it_may_have_kept_is_cleared() -> None:
    log = [installed(0, "S-v1", at=BEFORE), installed(2, "E-v1", at=BEFORE)]
    sure = holdings(log, since=CONNECTED)
    assert sure == {}
    assert steps({0: None}, [1, 2], holdings(log), sure) == [
        Step(CLEAR, 0, "S-v1"),
        Step(CLEAR, 2, "E-v1"),
    ]


def test_a_new_station_tariff_is_installed_then_the_evse_ones_again() -> None:
    held = holdings([installed(0, "S-v1"), installed(2, "E-v1")])
    assert steps({0: "S-v2", 2: "E-v1"}, [1, 2], held) == [Step(SET, 0), Step(SET, 2)]


def test_an_evse_that_lost_its_own_tariff_gets_its_stations() -> None:
    held = holdings([installed(0, "S-v1"), installed(2, "E-v1")])
    assert steps({0: "S-v1"}, [1, 2], held) == [Step(SET, 2)]


def test_a_tariff_that_no_longer_applies_is_cleared() -> None:
    held = holdings([installed(0, "S-v1"), installed(2, "E-v1")])
    assert steps({0: None}, [1, 2], held) == [Step(CLEAR, 0, "S-v1"), Step(CLEAR, 2, "E-v1")]
    # Only the EVSE keeps a tariff: the station's goes everywhere, the EVSE's stays.
    assert steps({0: None, 2: "E-v1"}, [1, 2], held) == [Step(CLEAR, 0, "S-v1")]
    assert steps({0: None}, [1], {}) == []


TARIFFS = st.sampled_from(["A-v1", "A-v2", "B-v1", "C-v1"])
EVSES = st.integers(min_value=1, max_value=4)


def applied(plan: Plan, step: Step) -> Sent:
    """What the station answers a step with, as the command log records it."""
    if step.command == SET:
        tariff_id = plan.get(step.evse_id, plan[0]) if step.evse_id else plan[0]
        return installed(step.evse_id, str(tariff_id))
    return cleared([str(step.tariff_id)], step.evse_id or None)


@given(
    past=st.lists(
        st.one_of(
            st.builds(installed, st.integers(min_value=0, max_value=4), TARIFFS),
            st.builds(lambda t, e: cleared([t], e), TARIFFS, st.one_of(st.none(), EVSES)),
        ),
        max_size=8,
    ),
    station=st.one_of(st.none(), TARIFFS),
    own=st.dictionaries(EVSES, TARIFFS, max_size=3),
    evse_ids=st.lists(EVSES, max_size=4),
    booted=st.one_of(st.none(), st.integers(min_value=0, max_value=8)),
)
def test_the_steps_bring_any_station_to_its_plan_and_then_send_nothing(
    past: list[Sent],
    station: str | None,
    own: dict[int, str],
    evse_ids: list[int],
    booted: int | None,
) -> None:
    """`booted`: the station booted after it was sent `past[booted:]` on its connection, and
    either kept what it held before or lost it; the steps bring it to its plan either way."""
    plan: Plan = {0: station} | {evse: t for evse, t in own.items() if t != station}
    held = holdings(past)
    connection = past if booted is None else past[booted:]
    sure = None if booted is None else holdings(connection)
    sent = [applied(plan, step) for step in steps(plan, evse_ids, held, sure)]
    for world in ([*past, *sent], [*connection, *sent]):
        after = holdings(world)
        for evse_id in {0, *evse_ids, *own, *held}:
            assert held_at(after, evse_id) == plan.get(evse_id, station)
    after, after_sure = holdings([*past, *sent]), holdings([*connection, *sent])
    assert steps(plan, evse_ids, after) == []
    assert steps(plan, evse_ids, after, after_sure) == []
