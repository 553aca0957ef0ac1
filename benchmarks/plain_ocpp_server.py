"""The reference "plain ocpp-library server" that `saturation.py` compares Chargeyard with.

The `ocpp` library's `ChargePoint` with an `@on` handler for each hot message, served by the
`websockets` library, storing nothing and checking no credentials: what a CSMS costs when it
only parses, validates (the library validates every CALL and answer against its schemas, as
Chargeyard does) and answers. A lower bound on the CPU an OCPP message costs in Python with
these libraries, so Chargeyard's figures can be read as a ratio to it.

    .venv/bin/python benchmarks/plain_ocpp_server.py --port 9300

Stations connect to `ws://127.0.0.1:9300/<anything>/<station id>` with subprotocol
`ocpp1.6` or `ocpp2.0.1`.
"""

# mypy: disallow-untyped-decorators=False
# (the `ocpp` library's @on decorator is untyped, as in chargeyard.protocol)

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import signal
from datetime import UTC, datetime
from typing import Any

from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as result16
from ocpp.v16.enums import Action as Action16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as result201
from ocpp.v201.enums import Action as Action201
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

_ACCEPTED = {"status": "Accepted"}
_HEARTBEAT_INTERVAL = 300
_transaction_ids = itertools.count(1)


def _now() -> str:
    return datetime.now(UTC).isoformat()  # noqa: TID251  # a load client keeps its own time


class PlainStation16(ChargePoint16):  # type: ignore[misc]
    """OCPP 1.6: answers the hot messages, stores nothing."""

    @on(Action16.boot_notification)
    def on_boot(self, **_: Any) -> result16.BootNotification:
        return result16.BootNotification(
            current_time=_now(), interval=_HEARTBEAT_INTERVAL, status="Accepted"
        )

    @on(Action16.heartbeat)
    def on_heartbeat(self) -> result16.Heartbeat:
        return result16.Heartbeat(current_time=_now())

    @on(Action16.status_notification)
    def on_status(self, **_: Any) -> result16.StatusNotification:
        return result16.StatusNotification()

    @on(Action16.meter_values)
    def on_meter_values(self, **_: Any) -> result16.MeterValues:
        return result16.MeterValues()

    @on(Action16.authorize)
    def on_authorize(self, **_: Any) -> result16.Authorize:
        return result16.Authorize(id_tag_info=_ACCEPTED)

    @on(Action16.start_transaction)
    def on_start(self, **_: Any) -> result16.StartTransaction:
        return result16.StartTransaction(
            transaction_id=next(_transaction_ids), id_tag_info=_ACCEPTED
        )

    @on(Action16.stop_transaction)
    def on_stop(self, **_: Any) -> result16.StopTransaction:
        return result16.StopTransaction(id_tag_info=_ACCEPTED)


class PlainStation201(ChargePoint201):  # type: ignore[misc]
    """OCPP 2.0.1: answers the hot messages, stores nothing."""

    @on(Action201.boot_notification)
    def on_boot(self, **_: Any) -> result201.BootNotification:
        return result201.BootNotification(
            current_time=_now(), interval=_HEARTBEAT_INTERVAL, status="Accepted"
        )

    @on(Action201.heartbeat)
    def on_heartbeat(self) -> result201.Heartbeat:
        return result201.Heartbeat(current_time=_now())

    @on(Action201.status_notification)
    def on_status(self, **_: Any) -> result201.StatusNotification:
        return result201.StatusNotification()

    @on(Action201.meter_values)
    def on_meter_values(self, **_: Any) -> result201.MeterValues:
        return result201.MeterValues()

    @on(Action201.authorize)
    def on_authorize(self, **_: Any) -> result201.Authorize:
        return result201.Authorize(id_token_info=_ACCEPTED)

    @on(Action201.transaction_event)
    def on_transaction_event(self, **fields: Any) -> result201.TransactionEvent:
        if "id_token" in fields:
            return result201.TransactionEvent(id_token_info=_ACCEPTED)
        return result201.TransactionEvent()


_CLASSES: dict[str | None, type[ChargePoint16] | type[ChargePoint201]] = {
    "ocpp1.6": PlainStation16,
    "ocpp2.0.1": PlainStation201,
}


async def handle(connection: ServerConnection) -> None:
    station_class = _CLASSES.get(connection.subprotocol)
    if station_class is None:
        await connection.close(1002, "subprotocol ocpp1.6 or ocpp2.0.1 required")
        return
    station_id = (
        connection.request.path.rstrip("/").rsplit("/", 1)[-1] if connection.request else ""
    )
    with contextlib.suppress(ConnectionClosed):
        await station_class(station_id, connection).start()


async def serve_until_stopped(host: str, port: int) -> None:
    stop = asyncio.get_running_loop().create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set_result, None)
    async with serve(
        handle,
        host,
        port,
        subprotocols=[Subprotocol("ocpp1.6"), Subprotocol("ocpp2.0.1")],
        ping_interval=None,
        compression=None,
    ):
        print(f"plain ocpp server listening on ws://{host}:{port}", flush=True)
        await stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9300)
    args = parser.parse_args()
    logging.getLogger("ocpp").setLevel(logging.WARNING)  # the library logs every frame at INFO
    asyncio.run(serve_until_stopped(args.host, args.port))


if __name__ == "__main__":
    main()
