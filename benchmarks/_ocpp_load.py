"""The load generator of `saturation.py`: raw WebSocket stations in a closed loop.

Each station keeps exactly one CALL outstanding and sends the next as soon as the answer
arrives, so the server is saturated whatever its speed and the rate measured is what it
sustains. Frames are %-templates filled with a timestamp and counters: the generator does no
schema validation and no library round trip, so one process drives hundreds of stations for
a small share of a core (`saturation.py` prints how much).

One station's cycle, 14 CALLs on its connector 1 (after one BootNotification):

- OCPP 1.6: Authorize, StartTransaction, StatusNotification Charging, 8 MeterValues,
  Heartbeat, StopTransaction, StatusNotification Available.
- OCPP 2.0.1: Authorize, TransactionEvent Started, StatusNotification Occupied,
  4 TransactionEvent Updated and 4 MeterValues alternating, Heartbeat,
  TransactionEvent Ended, StatusNotification Available.

The worker runs in its own process (`run_worker`); `saturation.py` starts one or several.
"""

# ruff: noqa: UP031 (%-templates keep the JSON braces of the frames readable)

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.queues import Queue
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event
from typing import Any
from urllib.parse import quote

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake
from websockets.typing import Subprotocol

_CONNECT_CONCURRENCY = 16
_CONNECT_TIMEOUT_S = 60.0
_READY_TIMEOUT_S = 600.0
_CLOSE_TIMEOUT_S = 10.0
_ERROR_SAMPLES = 5


@dataclass(frozen=True)
class LoadConfig:
    """What one worker process drives: its share of the stations."""

    url: str  # OCPP base URL; a station connects to {url}/{station id}
    protocol: str  # "ocpp1.6" or "ocpp2.0.1"
    stations: list[tuple[str, str]]  # (station id, id tag)
    password: str | None  # HTTP Basic auth password (None: no Authorization header)
    call_timeout_s: float


@dataclass
class Tally:
    """What one worker saw inside the measurement window, sent back to the parent."""

    connected: int = 0
    boots_rejected: int = 0
    answered: int = 0  # CALLRESULTs
    errors: int = 0  # CALLERRORs
    timeouts: int = 0
    refused: int = 0  # CALLRESULTs that refused the tag (idTagInfo/idTokenInfo not Accepted)
    dropped: int = 0  # connections the server closed during the run
    server_calls: int = 0  # CALLs the server sent to a station (answered with an empty result)
    latencies_s: list[float] = field(default_factory=list)  # CALLRESULTs and CALLERRORs
    error_samples: list[str] = field(default_factory=list)
    connect_failures: list[str] = field(default_factory=list)


def now() -> str:
    return datetime.now(UTC).isoformat()  # noqa: TID251  # a load client keeps its own time


class Station:
    """One station's place in its cycle and what the server told it (the transaction id)."""

    def __init__(self, station_id: str, id_tag: str, protocol: str) -> None:
        self.station_id = station_id
        self.id_tag = id_tag
        self.cycle = _CYCLE_16 if protocol == "ocpp1.6" else _CYCLE_201
        self.step = 0
        self.meter_wh = 0
        self.seq_no = 0
        self.transaction_id: str = "0"

    def boot_frame(self, message_id: str) -> str:
        payload = _BOOT_16 if self.cycle is _CYCLE_16 else _BOOT_201
        return f'[2,"{message_id}","BootNotification",{payload}]'

    def next_frame(self, message_id: str) -> tuple[str, str]:
        """The next CALL of the cycle: its action and its frame."""
        action, build = self.cycle[self.step]
        self.step = (self.step + 1) % len(self.cycle)
        self.meter_wh += 250
        self.seq_no += 1
        return action, f'[2,"{message_id}","{action}",{build(self)}]'

    def answered(self, action: str, payload: dict[str, Any]) -> bool:
        """Take what the CALLRESULT tells; False if it refused the station's tag (a server
        that refuses does less work than one that accepts, so the run would flatter it)."""
        if action == "StartTransaction":
            self.transaction_id = str(payload.get("transactionId", 0))
        info = payload.get("idTagInfo") or payload.get("idTokenInfo")
        return info is None or info.get("status") == "Accepted"


# -- OCPP 1.6 frames ---------------------------------------------------------------------

_BOOT_16 = '{"chargePointVendor":"Chargeyard","chargePointModel":"Saturation"}'
_MV_16 = (
    '{"connectorId":1,"transactionId":%s,"meterValue":[{"timestamp":"%s","sampledValue":'
    '[{"value":"%d","context":"Sample.Periodic","measurand":"Energy.Active.Import.Register",'
    '"unit":"Wh"},{"value":"7200","context":"Sample.Periodic","measurand":"Power.Active.Import",'
    '"unit":"W"}]}]}'
)
_STATUS_16 = '{"connectorId":1,"errorCode":"NoError","status":"%s","timestamp":"%s"}'


def _meter_16(s: Station) -> str:
    return _MV_16 % (s.transaction_id, now(), s.meter_wh)


_CYCLE_16: list[tuple[str, Callable[[Station], str]]] = [
    ("Authorize", lambda s: '{"idTag":"%s"}' % s.id_tag),
    (
        "StartTransaction",
        lambda s: (
            '{"connectorId":1,"idTag":"%s","meterStart":%d,"timestamp":"%s"}'
            % (s.id_tag, s.meter_wh, now())
        ),
    ),
    ("StatusNotification", lambda s: _STATUS_16 % ("Charging", now())),
    *[("MeterValues", _meter_16)] * 8,
    ("Heartbeat", lambda s: "{}"),
    (
        "StopTransaction",
        lambda s: (
            '{"transactionId":%s,"idTag":"%s","meterStop":%d,"timestamp":"%s",'
            '"reason":"Local"}' % (s.transaction_id, s.id_tag, s.meter_wh, now())
        ),
    ),
    ("StatusNotification", lambda s: _STATUS_16 % ("Available", now())),
]

# -- OCPP 2.0.1 frames -------------------------------------------------------------------

_BOOT_201 = (
    '{"reason":"PowerUp","chargingStation":{"model":"Saturation","vendorName":"Chargeyard"}}'
)
_SAMPLE_201 = (
    '{"timestamp":"%s","sampledValue":[{"value":%d,"context":"%s",'
    '"measurand":"Energy.Active.Import.Register","unitOfMeasure":{"unit":"Wh"}}]}'
)
_STATUS_201 = '{"timestamp":"%s","connectorStatus":"%s","evseId":1,"connectorId":1}'
_EVENT_201 = (
    '{"eventType":"%s","timestamp":"%s","triggerReason":"%s","seqNo":%d,'
    '"transactionInfo":{"transactionId":"%s"%s},"meterValue":[%s]%s}'
)


def _started_201(s: Station) -> str:
    s.transaction_id = uuid.uuid4().hex[:16]
    stamp = now()
    extra = ',"evse":{"id":1,"connectorId":1},"idToken":{"idToken":"%s","type":"ISO14443"}' % (
        s.id_tag
    )
    sample = _SAMPLE_201 % (stamp, s.meter_wh, "Transaction.Begin")
    return _EVENT_201 % (
        "Started",
        stamp,
        "Authorized",
        s.seq_no,
        s.transaction_id,
        "",
        sample,
        extra,
    )


def _updated_201(s: Station) -> str:
    stamp = now()
    sample = _SAMPLE_201 % (stamp, s.meter_wh, "Sample.Periodic")
    info = ',"chargingState":"Charging"'
    return _EVENT_201 % (
        "Updated",
        stamp,
        "MeterValuePeriodic",
        s.seq_no,
        s.transaction_id,
        info,
        sample,
        "",
    )


def _meter_201(s: Station) -> str:
    return '{"evseId":1,"meterValue":[%s]}' % (_SAMPLE_201 % (now(), s.meter_wh, "Sample.Periodic"))


def _ended_201(s: Station) -> str:
    stamp = now()
    sample = _SAMPLE_201 % (stamp, s.meter_wh, "Transaction.End")
    info = ',"stoppedReason":"Local"'
    return _EVENT_201 % (
        "Ended",
        stamp,
        "StopAuthorized",
        s.seq_no,
        s.transaction_id,
        info,
        sample,
        "",
    )


_CYCLE_201: list[tuple[str, Callable[[Station], str]]] = [
    (
        "Authorize",
        lambda s: '{"idToken":{"idToken":"%s","type":"ISO14443"}}' % s.id_tag,
    ),
    ("TransactionEvent", _started_201),
    ("StatusNotification", lambda s: _STATUS_201 % (now(), "Occupied")),
    *[("TransactionEvent", _updated_201), ("MeterValues", _meter_201)] * 4,
    ("Heartbeat", lambda s: "{}"),
    ("TransactionEvent", _ended_201),
    ("StatusNotification", lambda s: _STATUS_201 % (now(), "Available")),
]

# -- the worker --------------------------------------------------------------------------


@dataclass
class Window:
    """The measurement window on the shared monotonic clock (CLOCK_MONOTONIC is system-wide
    on Linux, so the parent's and the workers' readings compare)."""

    start: float
    end: float

    def holds(self, moment: float) -> bool:
        return self.start <= moment < self.end


def run_worker(
    config: LoadConfig,
    results: Queue[tuple[str, Any]],
    go: Event,
    window_start: Synchronized[float],
    window_end: Synchronized[float],
) -> None:
    """Process entry point: connect and boot every station, report ("ready", connected),
    wait for `go`, drive the stations until the window ends, report ("tally", Tally)."""
    tally = asyncio.run(_work(config, results, go, window_start, window_end))
    results.put(("tally", tally))


async def _work(
    config: LoadConfig,
    results: Queue[tuple[str, Any]],
    go: Event,
    window_start: Synchronized[float],
    window_end: Synchronized[float],
) -> Tally:
    tally = Tally()
    limit = asyncio.Semaphore(_CONNECT_CONCURRENCY)

    async def open_one(station: Station) -> ClientConnection | None:
        async with limit:
            return await _connect_and_boot(config, station, tally)

    stations = [Station(sid, tag, config.protocol) for sid, tag in config.stations]
    sockets = await asyncio.gather(*(open_one(station) for station in stations))
    tally.connected = sum(1 for socket in sockets if socket is not None)
    results.put(("ready", tally.connected))
    await asyncio.to_thread(go.wait, _READY_TIMEOUT_S)
    window = Window(window_start.value, window_end.value)
    await asyncio.gather(
        *(
            _drive(socket, station, tally, window, config.call_timeout_s)
            for socket, station in zip(sockets, stations, strict=True)
            if socket is not None
        )
    )
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(_CLOSE_TIMEOUT_S):
            await asyncio.gather(
                *(socket.close() for socket in sockets if socket is not None),
                return_exceptions=True,
            )
    return tally


async def _connect_and_boot(
    config: LoadConfig, station: Station, tally: Tally
) -> ClientConnection | None:
    url = f"{config.url}/{station.station_id}"
    if config.password is not None:  # websockets sends user info as HTTP Basic auth
        scheme, rest = url.split("://", 1)
        user_info = f"{quote(station.station_id, safe='')}:{quote(config.password, safe='')}"
        url = f"{scheme}://{user_info}@{rest}"
    try:
        async with asyncio.timeout(_CONNECT_TIMEOUT_S):
            socket = await connect(
                url,
                subprotocols=[Subprotocol(config.protocol)],
                compression=None,
                ping_interval=None,
                proxy=None,
                max_queue=None,
            )
            await socket.send(station.boot_frame("boot"))
            answer = await _answer(socket, "boot", tally)
    except (OSError, TimeoutError, InvalidHandshake, ConnectionClosed) as error:
        if len(tally.connect_failures) < _ERROR_SAMPLES:
            tally.connect_failures.append(f"{station.station_id}: {error!r}")
        return None
    if answer[0] != 3 or answer[2].get("status") != "Accepted":
        tally.boots_rejected += 1
    return socket


async def _answer(socket: ClientConnection, message_id: str, tally: Tally) -> list[Any]:
    """The answer to CALL `message_id`; CALLs from the server get an empty CALLRESULT and
    late answers to CALLs that timed out are dropped. The caller's timeout bounds the loop."""
    while True:
        message = json.loads(await socket.recv())
        if message[0] == 2:
            tally.server_calls += 1
            await socket.send(f'[3,"{message[1]}",{{}}]')
        elif message[1] == message_id:
            return list(message)


async def _drive(
    socket: ClientConnection, station: Station, tally: Tally, window: Window, timeout_s: float
) -> None:
    """The closed loop: one CALL outstanding, the next sent as soon as it is answered."""
    clock = time.monotonic
    prefix = station.station_id
    for number in range(10**9):
        if clock() >= window.end:
            return
        message_id = f"{prefix}-{number}"
        action, frame = station.next_frame(message_id)
        sent = clock()
        try:
            async with asyncio.timeout(timeout_s):
                await socket.send(frame)
                answer = await _answer(socket, message_id, tally)
        except TimeoutError:
            if window.holds(clock()):
                tally.timeouts += 1
            continue
        except ConnectionClosed:
            tally.dropped += 1
            return
        arrived = clock()
        accepted = answer[0] != 3 or station.answered(action, answer[2])
        if not window.holds(arrived):
            continue
        tally.latencies_s.append(arrived - sent)
        if answer[0] == 3:
            tally.answered += 1
            tally.refused += not accepted
            continue
        tally.errors += 1
        if len(tally.error_samples) < _ERROR_SAMPLES:
            tally.error_samples.append(f"{action}: {answer[2:]} for {frame[:300]}")
