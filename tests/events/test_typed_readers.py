"""Readers of events take the payload typed (`STATION_BOOTED.data_of(event)`, or
`payload_of(type, data)` for a query's row) and index it, so the type checker checks each key
against the kind's payload type; `event.data.get("key")` and `event.data["key"]` read an untyped
mapping, where a renamed or misspelt key passes the checker and reads `None` or raises.

The scan reads every module of `src/chargeyard` but `events/` (which defines the payloads and
serializes events whole) as a syntax tree and counts, per module, the reads of a `.data`
attribute through `.get(...)` or a subscript, and its copies into a name (`data = fact.data`,
whose reads the scan would not follow). `LEFT` is what remains, with why (nothing today): a
module may read fewer (then lower its count here), never more.
"""

import ast
from pathlib import Path

import chargeyard
from tests.support.source import parse

PACKAGE = Path(chargeyard.__file__).parent
EXEMPT = PACKAGE / "events"

LEFT: dict[str, int] = {}


def _data(node: ast.expr) -> bool:
    """`<x>.data`, or `<x>.data or {}`."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        node = node.values[0]
    return isinstance(node, ast.Attribute) and node.attr == "data"


def untyped_reads(tree: ast.Module) -> list[int]:
    """The lines of `<x>.data.get(...)` calls, `<x>.data[...]` reads and `data = <x>.data`
    aliases (whose reads the scan would not see) in `tree`."""
    found = []
    for node in ast.walk(tree):
        if (
            (isinstance(node, ast.Assign) and _data(node.value))
            or (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "data"
            )
            or (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Load)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "data"
            )
        ):
            found.append(node.lineno)
    return sorted(found)


def test_readers_read_event_payloads_typed() -> None:
    counts = {
        str(path.relative_to(PACKAGE.parent)): len(lines)
        for path in sorted(PACKAGE.rglob("*.py"))
        if EXEMPT not in path.parents and (lines := untyped_reads(parse(path)))
    }
    assert counts == LEFT, (
        "read an event's payload through its kind (`KIND.data_of(event)`, then index it), "
        "not `event.data.get`/`event.data[...]`; a module that reads fewer lowers its count in "
        "LEFT"
    )


def test_the_scan_counts_gets_and_subscripts_of_data(tmp_path: Path) -> None:
    module = tmp_path / "reader.py"
    module.write_text(
        "from chargeyard.events.payloads import STATION_BOOTED\n"
        "\n"
        "def booted(event):\n"
        "    if event.data.get('status') == 'Accepted':\n"
        "        return event.data['protocol']\n"
        "    booted = STATION_BOOTED.data_of(event)\n"
        "    event.data['seen'] = True\n"
        "    data = event.data or {}\n"
        "    return booted is not None and booted['protocol'] and booted.get('reason')\n"
    )
    assert untyped_reads(parse(module)) == [4, 5, 8]
