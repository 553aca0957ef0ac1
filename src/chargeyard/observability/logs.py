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
        else structlog.dev.ConsoleRenderer(colors=False)
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
    for name in _QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return handler


def _drop_color_message(_logger: WrappedLogger, _method: str, event: EventDict) -> EventDict:
    """uvicorn passes an ANSI-coloured copy of its message as an extra field; drop it."""
    event.pop("color_message", None)
    return event
