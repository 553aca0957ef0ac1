"""Which handler answers which action: a table per session class, built once from `@on` tags.

`@on(action)` only tags a method; `routes(cls)` collects the tags of a class and its bases (a
subclass's method of the same name wins, so 2.1 can refine a 2.0.1 handler). The table is built
when the class is defined, not per connection.
"""

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
Handler = Callable[..., Any]


def on(action: str) -> Callable[[F], F]:
    """Mark a session method as the handler of `action` (e.g. "StatusNotification")."""

    def tag(handler: F) -> F:
        handler._on_action = str(action)  # type: ignore[attr-defined]
        return handler

    return tag


def routes(cls: type) -> dict[str, Handler]:
    table: dict[str, Handler] = {}
    for name in dir(cls):
        attribute = getattr(cls, name, None)
        action = getattr(attribute, "_on_action", None)
        if action is not None and callable(attribute):
            table[action] = attribute
    return table
