"""The rules of a read of a station's monitors (`device_model/domain.py`): which report parts
belong to it, what they add up to, and what a finished read forgets."""

from chargeyard.device_model.domain import (
    MonitorRead,
    after_part,
    answer_abandons,
    answer_finishes,
    answered_by,
    is_whole_read,
    monitors_gone,
)


def test_only_a_read_without_criteria_and_components_is_whole() -> None:
    assert is_whole_read((), ())
    assert not is_whole_read(("ThresholdMonitoring",), ())
    assert not is_whole_read((), ("EVSE",))


def test_parts_add_up_and_the_last_one_finishes_the_read() -> None:
    read = MonitorRead(request_id=7, whole=True)
    first = after_part(read, [1, 2], last=False)
    again = after_part(first, [1, 2], last=False)
    last = after_part(again, [4], last=True)
    assert first == again == MonitorRead(7, True, awaiting=True, listed=frozenset({1, 2}))
    assert last == MonitorRead(7, True, awaiting=False, listed=frozenset({1, 2, 4}))
    assert monitors_gone(first, {1, 2, 3}) == frozenset()  # not finished: nothing forgotten yet
    assert monitors_gone(last, {1, 2, 3, 4}) == {3}


def test_a_finished_or_foreign_read_takes_no_more_parts() -> None:
    read = MonitorRead(request_id=7, whole=True)
    assert answered_by(read, 7)
    assert not answered_by(read, 8)
    assert not answered_by(None, 7)
    assert not answered_by(after_part(read, [1], last=True), 7)  # a repeated last part


def test_a_filtered_read_forgets_nothing() -> None:
    finished = after_part(MonitorRead(request_id=7, whole=False), [1], last=True)
    assert monitors_gone(finished, {1, 2, 3}) == frozenset()


def test_what_the_stations_answer_does_to_the_read() -> None:
    assert answer_finishes("EmptyResultSet") and not answer_finishes("Accepted")
    assert answer_abandons("Rejected", sent=True) and answer_abandons("NotSupported", sent=True)
    assert answer_abandons(None, sent=False)  # offline, or a 1.6 station: never sent
    assert not answer_abandons(None, sent=True)  # silence: its parts may still come
    assert not answer_abandons("Accepted", sent=True)
