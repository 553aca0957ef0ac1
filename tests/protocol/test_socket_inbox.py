"""The light queue and event a station's socket waits on behave as uvicorn's asyncio ones did:
first in, first out to a reader that waits; a reader cancelled while waiting loses nothing;
every sender waiting on a full buffer goes on when it drains."""

import asyncio

from chargeyard.protocol.socket_inbox import Flag, Inbox


async def test_frames_come_out_in_order_to_a_waiting_reader() -> None:
    inbox = Inbox()
    reader = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)  # the reader now waits
    assert not reader.done()
    inbox.put_nowait("connect")
    inbox.put_nowait("frame")
    assert await asyncio.wait_for(reader, 30) == "connect"
    assert (inbox.qsize(), inbox.empty()) == (1, False)
    assert await inbox.get() == "frame"
    assert inbox.empty()


async def test_a_reader_cancelled_while_waiting_loses_nothing() -> None:
    inbox = Inbox()
    reader = asyncio.create_task(inbox.get())
    await asyncio.sleep(0)
    reader.cancel()
    await asyncio.gather(reader, return_exceptions=True)
    inbox.put_nowait("disconnect")
    assert await asyncio.wait_for(inbox.get(), 30) == "disconnect"


async def test_every_waiting_sender_goes_on_when_the_flag_is_set() -> None:
    flag = Flag()
    flag.set()
    assert await flag.wait()  # set: no wait
    flag.clear()
    senders = [asyncio.create_task(flag.wait()) for _ in range(3)]
    await asyncio.sleep(0)
    assert not any(s.done() for s in senders)
    flag.set()
    assert await asyncio.wait_for(asyncio.gather(*senders), 30) == [True, True, True]


async def test_a_sender_cancelled_while_waiting_is_forgotten() -> None:
    flag = Flag()
    sender = asyncio.create_task(flag.wait())
    await asyncio.sleep(0)
    sender.cancel()
    await asyncio.gather(sender, return_exceptions=True)
    flag.set()
    assert flag.is_set()
