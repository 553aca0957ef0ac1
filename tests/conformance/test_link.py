"""What the OCTT checks of every message holds for any CSMS: a CSMS whose answers or calls
break the OCPP schema fails the case, with the rule it broke."""

import json
from collections.abc import AsyncIterator

import pytest
from websockets.asyncio.server import ServerConnection, serve

from chargeyard.conformance.case import CaseFailed
from chargeyard.conformance.link import StationLink


@pytest.fixture
async def sloppy_csms() -> AsyncIterator[str]:
    """A 1.6 central system that forgets fields: a BootNotification.conf without interval and
    currentTime, on a Heartbeat a RemoteStartTransaction.req without an idTag, and on a
    DataTransfer a frame that is not JSON."""

    async def session(socket: ServerConnection) -> None:
        async for message in socket:
            kind, unique_id, *rest = json.loads(message)
            if kind != 2:
                continue
            action = rest[0]
            if action == "BootNotification":
                await socket.send(json.dumps([3, unique_id, {"status": "Accepted"}]))
            elif action == "DataTransfer":
                await socket.send("{not json")
            elif action == "Heartbeat":
                await socket.send(json.dumps([2, "csms-1", "RemoteStartTransaction", {}]))
                answer = {"currentTime": "2026-01-01T00:00:00Z"}
                await socket.send(json.dumps([3, unique_id, answer]))

    async with serve(session, "127.0.0.1", 0, subprotocols=["ocpp1.6"]) as server:  # type: ignore[list-item]
        port = next(iter(server.sockets)).getsockname()[1]
        yield f"ws://127.0.0.1:{port}/ocpp"


async def test_an_answer_that_breaks_its_schema_fails_with_the_rule(sloppy_csms: str) -> None:
    link = await StationLink.open(sloppy_csms, "CP1", "1.6", password="a-password-of-16")
    try:
        with pytest.raises(CaseFailed, match="BootNotificationResponse breaks its schema"):
            await link.call("BootNotification", {"chargePointVendor": "V", "chargePointModel": "M"})
    finally:
        await link.close()


async def test_a_call_that_breaks_its_schema_is_refused_and_fails_the_case(
    sloppy_csms: str,
) -> None:
    link = await StationLink.open(sloppy_csms, "CP1", "1.6", password="a-password-of-16")
    try:
        await link.call("Heartbeat", {})
        with pytest.raises(CaseFailed, match=r"RemoteStartTransaction breaks its schema.*idTag"):
            await link.expect("RemoteStartTransaction")
    finally:
        await link.close()


async def test_a_frame_that_is_not_ocpp_j_fails_the_case_with_what_came(sloppy_csms: str) -> None:
    link = await StationLink.open(sloppy_csms, "CP1", "1.6", password="a-password-of-16")
    try:
        with pytest.raises(CaseFailed, match="not OCPP-J"):
            await link.call("DataTransfer", {"vendorId": "V"})
    finally:
        await link.close()
