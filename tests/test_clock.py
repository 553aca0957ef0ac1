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


# Where the wall clock is chosen, each with why. ruff bans `datetime.now`, `time.time` and their
# kin everywhere (pyproject.toml, TID251) except where a `noqa` says why (READS_THE_WALL_CLOCK);
# `chargeyard.clock.utcnow`, the one wall clock behind every injected one, is called nowhere in
# the package and named only where a clock is chosen (NAMES_THE_WALL_CLOCK). A service, a
# repository, an adapter, a one-off command's work and the conformance station are handed a
# clock; a row's timestamps come from its database's (tests/storage/test_stamps.py). Durations,
# deadlines and rates read `time.monotonic` / `time.perf_counter`, which are not wall clocks.
READS_THE_WALL_CLOCK = {
    "clock.py": "`utcnow` itself",
    "simulator/clock.py": "a simulated station keeps its own time, offset from the wall clock",
}
NAMES_THE_WALL_CLOCK = {
    "api/app.py": "`create_app`'s default: the clock `chargeyard serve` runs the server on",
    "cli/clock.py": "a command's clock (retention, certificates, tokens, conformance) unless a "
    "caller hands one",
    "storage/database.py": "a default for callers outside the package; the server hands its own",
    "cluster/leases.py": "a default for callers outside the package; the server hands its own",
    "protocol/forwarded.py": "a default for callers outside the package; the server hands its own",
}


def modules(package: Path) -> dict[str, str]:
    return {
        path.relative_to(package).as_posix(): path.read_text(encoding="utf-8")
        for path in package.rglob("*.py")
    }


def test_only_the_listed_modules_read_or_choose_the_wall_clock() -> None:
    package = Path(chargeyard.__file__).parent
    calls, names, reads = set(), set(), set()
    for relative, text in modules(package).items():
        if "noqa: TID251" in text:
            reads.add(relative)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == utcnow.__name__:
                calls.add(relative)
            elif isinstance(node, ast.Name) and node.id == utcnow.__name__:
                names.add(relative)
    assert calls == set(), "take the time from the clock you are handed"
    assert reads == set(READS_THE_WALL_CLOCK), "take the time from the clock you are handed"
    assert names == set(NAMES_THE_WALL_CLOCK), "hand the clock in from where the others are chosen"
