"""The event catalogue in docs/events.md names exactly the event types the code can emit.

Types are read from the source, not from a run, so an event no test triggers is still caught:
every `record_event(kind=...)` and `envelope(type=...)` call in src/chargeyard, following the
argument through the `EventKind` constants of `events/payloads.py` (and a constant's `.name`),
literals, f-strings, conditional expressions, local and module constants (imported ones too)
and the `_event(kind, ...)` helpers that forward a parameter to it, however many levels deep.
The few call sites whose kind is looked up from data are listed in DYNAMIC with the types they
produce; a test keeps that list in step with the source.
"""

import ast
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import chargeyard
from chargeyard.station_reports.domain import EVENT_KINDS
from tests.conftest import Tenant
from tests.support.ocpp_client import PASSWORD
from tests.support.source import parse

SOURCE = Path(chargeyard.__file__).parent
CATALOGUE = Path(__file__).parents[2] / "docs" / "events.md"
# Each takes the event type as this keyword: an `EventKind`, or its name.
EMITTERS = {"record_event": "kind", "envelope": "type"}
TYPE_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
ENVELOPE_KEYS = {
    "id",
    "type",
    "occurred_at",
    "organization_id",
    "station_id",
    "transaction_id",
    "data",
}

# Call sites ("module:function") whose type the source cannot tell, with the types they emit.
DYNAMIC: dict[str, frozenset[str]] = {
    # Each kind of station report is recorded as its `station.<kind>` (a mapping of kinds).
    "chargeyard.station_reports.service:StationReportService.record": frozenset(
        kind.name for kind in EVENT_KINDS.values()
    ),
    # Renders an event that was recorded elsewhere: no type of its own.
    "chargeyard.events.models:Event.envelope": frozenset(),
    "chargeyard.events.domain:RecordedEvent.envelope": frozenset(),
}


class Dynamic(Exception):
    """The expression's value is computed at run time."""


class Forwarded(Exception):
    """The expression is a parameter of the enclosing function: its callers give the type."""

    def __init__(self, parameter: str) -> None:
        self.parameter = parameter


@dataclass(frozen=True)
class Slot:
    """Where a callable takes the event type: by position (after any self) or by keyword."""

    index: int | None
    keyword: str


@dataclass
class Function:
    module: str
    cls: str | None
    node: ast.FunctionDef | ast.AsyncFunctionDef

    @property
    def site(self) -> str:
        qualname = f"{self.cls}.{self.node.name}" if self.cls else self.node.name
        return f"{self.module}:{qualname}"

    @property
    def parameters(self) -> list[str]:
        names = [a.arg for a in self.node.args.posonlyargs + self.node.args.args]
        return names[1:] if self.cls and names[:1] in (["self"], ["cls"]) else names

    def slot(self, parameter: str) -> Slot:
        positional = self.parameters
        index = positional.index(parameter) if parameter in positional else None
        return Slot(index, parameter)


@dataclass
class Source:
    functions: list[Function] = field(default_factory=list)
    constants: dict[tuple[str, str], str] = field(default_factory=dict)  # (module, name) -> value
    imports: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def constant(self, module: str, name: str) -> str | None:
        key = (module, name)
        while key not in self.constants and key in self.imports:
            key = self.imports[key]
        return self.constants.get(key)


def read_source() -> Source:
    source = Source()
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        module = ".".join(("chargeyard", *path.relative_to(SOURCE).with_suffix("").parts))
        tree = parse(path)
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    source.imports[module, alias.asname or alias.name] = (node.module, alias.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign) and (value := _text(node.value)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        source.constants[module, target.id] = value
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                source.functions.append(Function(module, None, node))
            elif isinstance(node, ast.ClassDef):
                source.functions.extend(
                    Function(module, node.name, item)
                    for item in node.body
                    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                )
    return source


def _text(node: ast.AST | None) -> str | None:
    """A string literal's value, or an `EventKind("name", Payload)` constant's name."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "EventKind"
        and node.args
    ):
        return _text(node.args[0])
    return None


@dataclass
class Emitted:
    types: set[str] = field(default_factory=set)
    dynamic_sites: set[str] = field(default_factory=set)


def emitted() -> Emitted:
    """Every type the code can emit, found by repeating the walk until no new forwarder appears."""
    source = read_source()
    forwarders: dict[tuple[str, str | None, str], Slot] = {}
    while True:
        found, known = Emitted(), len(forwarders)
        for function in source.functions:
            for call, slot in _calls_taking_a_type(function, forwarders):
                argument = _argument(call, slot)
                if argument is None:
                    continue
                try:
                    found.types |= _values(argument, function, source, top=True)
                except Forwarded as forwarded:
                    key = (function.module, function.cls, function.node.name)
                    forwarders[key] = function.slot(forwarded.parameter)
                except Dynamic:
                    found.dynamic_sites.add(function.site)
        if len(forwarders) == known:
            return found


def _calls_taking_a_type(
    function: Function, forwarders: dict[tuple[str, str | None, str], Slot]
) -> Iterator[tuple[ast.Call, Slot]]:
    for call in ast.walk(function.node):
        if not isinstance(call, ast.Call):
            continue
        callee = call.func
        if isinstance(callee, ast.Name) and callee.id in EMITTERS:
            yield call, Slot(None, EMITTERS[callee.id])
        elif isinstance(callee, ast.Name) and (function.module, None, callee.id) in forwarders:
            yield call, forwarders[function.module, None, callee.id]
        elif isinstance(callee, ast.Attribute):
            if isinstance(callee.value, ast.Name) and callee.value.id == "self":
                key = (function.module, function.cls, callee.attr)
                if key in forwarders:
                    yield call, forwarders[key]
                continue
            # A method called on another object: any forwarding method of that name.
            for (_, cls, name), slot in forwarders.items():
                if cls is not None and name == callee.attr:
                    yield call, slot


def _argument(call: ast.Call, slot: Slot) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == slot.keyword:
            return keyword.value
    if slot.index is not None and slot.index < len(call.args):
        return call.args[slot.index]
    return None


def _values(node: ast.expr, function: Function, source: Source, top: bool = False) -> set[str]:
    if (text := _text(node)) is not None:
        return {text}
    if isinstance(node, ast.IfExp):
        return _values(node.body, function, source) | _values(node.orelse, function, source)
    if isinstance(node, ast.JoinedStr):
        parts = [
            _values(part.value if isinstance(part, ast.FormattedValue) else part, function, source)
            for part in node.values
        ]
        return {"".join(combination) for combination in itertools.product(*parts)}
    if isinstance(node, ast.Name):
        return _name_values(node.id, function, source, top)
    if isinstance(node, ast.Attribute) and node.attr == "name":  # a kind's name
        return _values(node.value, function, source, top)
    raise Dynamic


def _name_values(name: str, function: Function, source: Source, top: bool) -> set[str]:
    assigned = [
        statement.value
        for statement in ast.walk(function.node)
        if isinstance(statement, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in statement.targets)
    ]
    if assigned:
        return set().union(*(_values(value, function, source) for value in assigned))
    if name in function.parameters or name in (a.arg for a in function.node.args.kwonlyargs):
        if top:
            raise Forwarded(name)
        raise Dynamic
    value = source.constant(function.module, name)
    if value is None:
        raise Dynamic
    return {value}


def catalogue() -> dict[str, str]:
    """The catalogue's entries: type -> the text under its heading."""
    text = CATALOGUE.read_text().split("\n## Catalogue\n", 1)[1]
    sections = re.split(r"^### `([^`]+)`\s*$", text, flags=re.MULTILINE)
    return dict(zip(sections[1::2], sections[2::2], strict=True))


def all_types() -> set[str]:
    found = emitted()
    return found.types.union(*DYNAMIC.values())


def test_the_walk_follows_every_way_a_type_reaches_the_recorder() -> None:
    found = emitted().types
    assert "settlement.received" in found  # a literal
    assert "station.connected" in found  # through a `self._event(kind, ...)` helper
    assert "webhook.disabled" in found  # an imported kind
    assert "webhook.ping" in found  # a kind's `.name` given to `envelope` directly
    assert "demand_response.removed" in found  # through two helpers, from another module
    assert {"charging_profile.delivered", "charging_profile.rejected"} <= found  # if/else
    assert {"smart_charging.controllable", "smart_charging.uncontrollable"} <= found  # a local
    assert not any(t.startswith("station.device_event") for t in found)  # only via DYNAMIC


def test_the_dynamic_list_names_exactly_the_sites_the_walk_cannot_read() -> None:
    assert emitted().dynamic_sites == set(DYNAMIC)


def test_every_type_the_code_emits_is_in_the_catalogue() -> None:
    missing = sorted(all_types() - set(catalogue()))
    assert missing == [], f"add these to docs/events.md: {missing}"


def test_every_type_in_the_catalogue_is_one_the_code_emits() -> None:
    unknown = sorted(set(catalogue()) - all_types())
    assert unknown == [], f"docs/events.md documents types nothing emits: {unknown}"


def test_type_names_are_lowercase_dotted_nouns() -> None:
    assert [t for t in sorted(all_types()) if not TYPE_NAME.fullmatch(t)] == []


def test_each_entry_shows_a_whole_envelope_of_its_type() -> None:
    for type, section in catalogue().items():
        blocks = re.findall(r"```json\n(.*?)\n```", section, flags=re.DOTALL)
        assert len(blocks) == 1, f"{type}: one JSON example expected, found {len(blocks)}"
        example = json.loads(blocks[0])
        assert set(example) == ENVELOPE_KEYS, type
        assert example["type"] == type
        assert re.fullmatch(r"[0-9a-f]{32}", example["id"]), type
        assert example["occurred_at"].endswith("Z"), type
        assert isinstance(example["data"], dict) and example["data"], type
        prose = section.split("```json", 1)[0].strip()
        assert prose, f"{type}: say when it fires"


async def test_an_event_about_a_station_carries_it_in_the_envelope(tenant: Tenant) -> None:
    """The log's and the stream's `station_id` filter and webhooks' per-station order rely on it."""
    station = tenant.unique("CP")
    assert (
        await tenant.api.post("/stations", json={"id": station, "password": PASSWORD})
    ).status_code == 201
    wiring = await tenant.api.put(
        f"/stations/{station}/wiring", params={"evse_id": 1}, json={"max_power_kw": 11.04}
    )
    assert wiring.status_code == 200, wiring.text
    answer = await tenant.api.get("/events", params={"station_id": station, "order": "asc"})
    events = answer.json()["items"]
    assert [e["type"] for e in events] == ["station.registered", "evse_wiring.updated"]
    assert all(e["station_id"] == e["data"]["station_id"] == station for e in events)
