"""A station that closes its socket while the server writes to it is a disconnect, never an
error with a traceback: not in the read loop, not in a follow-up task."""

import asyncio
import logging

import pytest

from chargeyard.protocol.context import StationIdentity
from chargeyard.protocol.server import SocketClosed
from chargeyard.protocol.session import StationSession


async def test_a_follow_up_task_on_a_closed_socket_logs_no_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def send_to_gone_station() -> None:
        raise SocketClosed(1006)

    async def broken() -> None:
        raise ValueError("a real bug")

    with caplog.at_level(logging.ERROR, "chargeyard.protocol.session"):
        session = StationSession.__new__(StationSession)  # spawn uses only its task set
        session._tasks = set()
        session.identity = StationIdentity("CP-GONE", "org")
        await asyncio.gather(
            session.spawn(send_to_gone_station()), session.spawn(broken()), return_exceptions=True
        )
        await asyncio.sleep(0)  # done callbacks run on the next loop turn
    assert [r.exc_info[1].__class__ for r in caplog.records if r.exc_info] == [ValueError]
