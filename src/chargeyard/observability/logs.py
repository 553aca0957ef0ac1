"""Logging for the whole process: plain text or JSON lines, through structlog.

`configure_logging` is called once by the CLI (`chargeyard serve`). Chargeyard's modules keep
using the standard `logging` module; every record, theirs and uvicorn's and the libraries', goes
through structlog's `ProcessorFormatter`, so one format covers them all. Each line carries the
context bound with `log_context` (station id, protocol, action, message id) and the fields passed
in `extra=`.
"""

import logging
import sys
from typing import Literal, TextIO

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

LogFormat = Literal["text", "json"]

# Libraries that log one INFO line per request: an httpx line per webhook delivery made up most
# of the log. They speak only from WARNING on; the dispatcher logs each delivery at DEBUG itself.
_QUIET_LIBRARIES = ("httpx", "httpcore")


class _PerSocketLines(logging.Filter):
    """uvicorn's INFO lines for every WebSocket ("connection open", the handshake's outcome,
    "connection closed"): three lines per station connection, without the station's id, which
    made up most of a reconnect storm's log and a noticeable part of its CPU. Chargeyard's own
    "station connected" and "station disconnected" lines, bound to the station, say the same."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO:
            return True
        message = record.msg
        return not (
            message in ("connection open", "connection closed")
            or (isinstance(message, str) and message.startswith('%s - "WebSocket %s"'))
        )


def configure_logging(
    log_format: LogFormat, level: str = "info", stream: TextIO | None = None
) -> logging.Handler:
    """Route every stdlib logger through one handler on the root logger; returns that handler
    (replacing any the root logger had)."""
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        _drop_color_message,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Processor = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=_traceback_without_locals
        )
    )
    final: list[Processor] = [structlog.stdlib.ProcessorFormatter.remove_processors_meta]
    if log_format == "json":
        final.append(structlog.processors.format_exc_info)
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared, processors=[*final, renderer]
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        # uvicorn installs its own handlers; let its records reach the root handler instead.
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    per_socket = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _PerSocketLines) for f in per_socket.filters):
        per_socket.addFilter(_PerSocketLines())
    for name in _QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return handler


def _traceback_without_locals(sio: TextIO, exc_info: structlog.typing.ExcInfo) -> None:
    """A plain traceback: structlog's default (rich, with every frame's locals) prints a
    request's headers and a caller's secrets into the log, and took minutes to render one 500
    in a request handler, with the event loop held all the while."""
    structlog.dev.plain_traceback(sio, exc_info)


def _drop_color_message(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """uvicorn passes an ANSI-coloured copy of its message as an extra field; drop it."""
    event.pop("color_message", None)
    return event
