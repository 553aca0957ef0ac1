"""What a conformance case is, what it may need, and how it ends.

A case is a named coroutine: it passes by returning (optionally with a note the report shows),
fails by raising `CaseFailed` (through `expect` and friends), and is not applicable when the
run lacks what it needs (an accepted ID tag, or REST credentials to make the CSMS act).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chargeyard.conformance.context import CaseContext


class CaseFailed(Exception):
    """The CSMS did not do what the case requires; the message says what it did instead."""


class Need(StrEnum):
    """What a case needs beyond a registered station, and the option that provides it."""

    ACCEPTED_TAG = "--id-tag or --api-token"
    API = "--api-token"


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NOT_APPLICABLE = "not applicable"


CaseBody = Callable[["CaseContext"], Awaitable[str | None]]


@dataclass(frozen=True)
class Case:
    id: str
    title: str
    version: str
    body: CaseBody
    needs: frozenset[Need] = frozenset()

    @property
    def purpose(self) -> str:
        """The first paragraph of the body's docstring: what the case checks of the CSMS."""
        paragraph = (self.body.__doc__ or "").strip().split("\n\n")[0]
        return " ".join(paragraph.split())


@dataclass(frozen=True)
class Result:
    case: Case
    verdict: Verdict
    reason: str
    duration_s: float


class Catalog:
    """The cases of one OCPP version, in the order they run (registration order)."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.cases: list[Case] = []

    def case(self, case_id: str, title: str, *needs: Need) -> Callable[[CaseBody], CaseBody]:
        def register(body: CaseBody) -> CaseBody:
            self.cases.append(Case(case_id, title, self.version, body, frozenset(needs)))
            return body

        return register


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CaseFailed(message)


def expect_equal(actual: Any, expected: Any, what: str) -> None:
    if actual != expected:
        raise CaseFailed(f"{what} is {actual!r}, expected {expected!r}")


def expect_in(actual: Any, allowed: tuple[Any, ...], what: str) -> None:
    if actual not in allowed:
        choices = " or ".join(repr(value) for value in allowed)
        raise CaseFailed(f"{what} is {actual!r}, expected {choices}")


def field(payload: dict[str, Any], path: str) -> Any:
    """`payload["a"]["b"]` for "a.b", None when any part is missing."""
    value: Any = payload
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
