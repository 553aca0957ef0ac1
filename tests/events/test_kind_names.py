"""Readers of events name an event type by its kind (`STATION_BOOTED.name`), never by a string
literal: a typo in a literal (`"station.boted"`) matches nothing and fails silently, a typo in a
constant's name fails at import and in mypy.

The scan reads every module of `src/chargeyard` as a syntax tree and lists each string constant
equal to a known event type (`KINDS`), docstrings left out; `events/payloads.py`, where the kinds
are defined, is the one module allowed to spell them. Webhook subscription filters and documents
name event types as strings too, but those are data, not source.
"""

import ast
from pathlib import Path

import chargeyard
from chargeyard.events.payloads import KINDS
from tests.support.source import parse

PACKAGE = Path(chargeyard.__file__).parent
DEFINITIONS = PACKAGE / "events" / "payloads.py"


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring constants of the module, its classes and functions."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def event_names_spelled_out(tree: ast.Module, names: set[str] | frozenset[str]) -> list[int]:
    """The lines of the string constants in `tree` that are one of `names`, docstrings aside."""
    docstrings = _docstrings(tree)
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in names
        and id(node) not in docstrings
    )


def test_no_module_but_the_kinds_spells_an_event_type_out() -> None:
    names = set(KINDS)
    spelled = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != DEFINITIONS
        for line in event_names_spelled_out(parse(path), names)
    ]
    assert spelled == [], "use the kind's `.name` (events/payloads.py) instead of: " + ", ".join(
        spelled
    )


def test_the_scan_finds_a_literal_and_passes_a_docstring_and_a_kind(tmp_path: Path) -> None:
    module = tmp_path / "reader.py"
    module.write_text(
        '"""Reads station.booted events."""\n'
        "from chargeyard.events.payloads import STATION_BOOTED\n"
        "\n"
        "def booted(event):\n"
        '    """station.booted"""\n'
        "    return event.type == STATION_BOOTED.name\n"
        "\n"
        'CONNECTED = frozenset({"station.connected"})\n'
        'ROUTES = {"session.started": booted}\n'
    )
    assert event_names_spelled_out(parse(module), set(KINDS)) == [8, 9]
