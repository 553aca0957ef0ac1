"""`as_utc`: every datetime Chargeyard stores or compares passes through it; and the wall clock
is read only where no injected clock can be."""

import ast
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import chargeyard
from chargeyard.clock import as_utc, utcnow

PLUS_ONE = timezone(timedelta(hours=1))
MINUS_ONE = timezone(timedelta(hours=-1))


def test_naive_times_are_utc_and_others_are_converted() -> None:
    assert as_utc(datetime(2026, 12, 6, 9, 0)) == datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    converted = as_utc(datetime(2026, 12, 6, 10, 0, tzinfo=PLUS_ONE))
    assert converted == datetime(2026, 12, 6, 9, 0, tzinfo=UTC) and converted.tzinfo is UTC


@pytest.mark.parametrize(
    ("given", "end"),
    [
        (datetime(1, 1, 1, tzinfo=PLUS_ONE), datetime.min),
        (datetime(9999, 12, 31, 23, 30, tzinfo=MINUS_ONE), datetime.max),
    ],
)
def test_a_time_beyond_the_calendar_in_utc_is_its_end(given: datetime, end: datetime) -> None:
    """A client may send such a time as a filter: it was an OverflowError (a 500) deep inside
    the query's parameters."""
    assert as_utc(given) == end.replace(tzinfo=UTC)


# Where the server reads the wall clock itself rather than an injected one, each with why; ruff
# bans `datetime.now` and its kin everywhere else (pyproject.toml, TID251), and this keeps
# calls of `utcnow()` to these modules. A service, a repository or an adapter is handed a clock;
# a row's timestamps come from its database's (tests/storage/test_stamps.py).
CALLS_THE_WALL_CLOCK = {
    "cli/retention.py": "a one-off command run by hand: the edge that would hand a clock",
    "cli/certificates.py": "a one-off command run by hand: the edge that would hand a clock",
    "conformance": "acts as a station against any deployment, with its own time",
}


def test_only_the_edges_call_the_wall_clock() -> None:
    package = Path(chargeyard.__file__).parent
    found = set()
    for path in package.rglob("*.py"):
        relative = path.relative_to(package).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == utcnow.__name__
            ):
                found.add(
                    relative.split("/")[0] if relative.startswith("conformance/") else relative
                )
    assert found == set(CALLS_THE_WALL_CLOCK), "take the time from the clock you are handed"
