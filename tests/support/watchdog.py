"""A hung test fails on its own, showing where every asyncio task waits, instead of holding CI.

The suite runs real servers and stations on one event loop; a wait that never ends (an answer
that never comes, a loop polling for a state that never arrives) would otherwise stall the run
until CI's own limit, with no word on which test or which await. Past `LIMIT_S` the test fails,
the stacks of the loop's tasks and of every thread go to stderr, and the run goes on.

pytest-timeout would fail the test too, but shows only thread stacks: for an asyncio suite
that is the event loop's `select()`, not the await that hangs.
"""

import asyncio
import faulthandler
import io
import os
import signal
import sys
from collections.abc import Iterator
from types import FrameType

import pytest

LIMIT_S = float(os.environ.get("CHARGEYARD_TEST_LIMIT_S", "600"))
"""Per test, setup and teardown included; the slowest test takes about a tenth of this."""


_DUMPS: list[str] = []
"""What each hung test's dump said, shown again at the end of the run: CI often keeps only the
tail of the output, where the summary is."""


def _dump(nodeid: str) -> None:
    text = io.StringIO()
    print(f"\n== {nodeid} ran longer than {LIMIT_S:.0f} s; where its tasks wait:", file=text)
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is not None:
        for task in asyncio.all_tasks(loop):
            task.print_stack(file=text)
    _DUMPS.append(text.getvalue())
    out = sys.__stderr__
    if out is None:
        return
    out.write(text.getvalue())
    print("== threads:", file=out)
    faulthandler.dump_traceback(file=out)
    out.flush()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for dump in _DUMPS:
        terminalreporter.write_sep("=", "hung test (tests/support/watchdog.py)")
        terminalreporter.write(dump)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    if LIMIT_S <= 0 or not hasattr(signal, "setitimer"):
        yield
        return

    def hung(_signum: int, _frame: FrameType | None) -> None:
        _dump(item.nodeid)
        pytest.fail(f"ran longer than {LIMIT_S:.0f} s (tests/support/watchdog.py)", pytrace=False)

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, LIMIT_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
