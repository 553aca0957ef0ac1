"""Neutral commands and their outcomes as JSON, for sending them to another worker.

A command travels as `{"type": <class name>, "fields": {...}}`; `COMMANDS` names every command
class (those of `domain.py`, `device_management.py` and `tariff_commands.py`, the modules
`catalog.py` builds from), so a type name that is not a command is refused rather than
instantiated. Fields are dumped and validated by pydantic from the dataclasses' own annotations
(enums, datetimes, Decimals, nested values), so a new command needs no code here. An outcome's error travels as its class name and
detail and comes back as the same `ChargeyardError` class the caller would have got locally.
"""

import dataclasses
import inspect
from types import ModuleType
from typing import Any

from pydantic import TypeAdapter

from chargeyard import errors
from chargeyard.commands import device_management, domain, tariff_commands
from chargeyard.commands.dispatcher import Outcome
from chargeyard.commands.domain import (
    Answer,
    Command,
    CommandNotSupported,
    Sent,
    StationCallError,
)


def _commands(*modules: ModuleType) -> dict[str, type[Command]]:
    return {
        cls.__name__: cls
        for module in modules
        for cls in vars(module).values()
        if inspect.isclass(cls) and issubclass(cls, Command) and dataclasses.is_dataclass(cls)
    }


COMMANDS: dict[str, type[Command]] = _commands(domain, device_management, tariff_commands)

# The errors a dispatcher's outcome carries, by class name; any other comes back as its nearest
# known base (by HTTP status) so the caller still answers with the same status.
_ERRORS: dict[str, type[errors.ChargeyardError]] = {
    cls.__name__: cls
    for cls in (
        errors.StationOffline,
        errors.StationTimeout,
        errors.Invalid,
        errors.Conflict,
        errors.NotFound,
        errors.ChargeyardError,
    )
}


_ADAPTERS: dict[str, TypeAdapter[Any]] = {}


def _adapter(cls: type[Any]) -> TypeAdapter[Any]:
    """Built on first use (a schema per class is not free) and kept."""
    key = f"{cls.__module__}.{cls.__qualname__}"
    adapter = _ADAPTERS.get(key)
    if adapter is None:
        adapter = _ADAPTERS[key] = TypeAdapter(cls)
    return adapter


class UnknownCommand(errors.Invalid):
    """A command type name that no command class has."""


def dump_command(command: Command) -> dict[str, Any]:
    name = type(command).__name__
    if COMMANDS.get(name) is not type(command):
        raise UnknownCommand(f"{name} is not a command")
    return {"type": name, "fields": _adapter(type(command)).dump_python(command, mode="json")}


def load_command(data: Any) -> Command:
    cls = COMMANDS.get(str(data.get("type"))) if isinstance(data, dict) else None
    if cls is None:
        raise UnknownCommand(f"not a command: {data!r:.80}")
    command: Command = _adapter(cls).validate_python(data.get("fields") or {})
    return command


def dump_outcome(outcome: Outcome) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if outcome.sent is not None:
        data["sent"] = _adapter(Sent).dump_python(outcome.sent, mode="json")
    if outcome.answer is not None:
        data["answer"] = _adapter(Answer).dump_python(outcome.answer, mode="json")
    if outcome.error is not None:
        data["error"] = _dump_error(outcome.error)
    return data


def load_outcome(data: dict[str, Any]) -> Outcome:
    sent = _adapter(Sent).validate_python(data["sent"]) if "sent" in data else None
    answer = _adapter(Answer).validate_python(data["answer"]) if "answer" in data else None
    error = _load_error(data["error"]) if "error" in data else None
    return Outcome(sent=sent, answer=answer, error=error)


def _dump_error(error: errors.ChargeyardError) -> dict[str, Any]:
    data = {"type": type(error).__name__, "status": error.status, "detail": error.detail}
    if isinstance(error, StationCallError):
        data["code"] = error.code
    return data


def _load_error(data: dict[str, Any]) -> errors.ChargeyardError:
    name, detail = str(data.get("type")), str(data.get("detail", ""))
    if name == StationCallError.__name__:
        error = StationCallError(str(data.get("code", "")), "")
        error.detail = detail
        error.args = (detail,)
        return error
    if name == CommandNotSupported.__name__:
        return errors.Invalid(detail)
    cls = _ERRORS.get(name)
    if cls is None:
        by_status = {known.status: known for known in _ERRORS.values()}
        cls = by_status.get(int(data.get("status", 500)), errors.ChargeyardError)
    return cls(detail)
