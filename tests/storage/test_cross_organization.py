"""Every statement that reads or writes tenant rows without naming an organization is declared
(storage/cross_organization.py) and listed in docs/architecture.md, so a new one cannot slip in.

The scan reads every module that may run SQL (the modules tests/storage/test_sql_placement.py
allows) and flags each function that builds a statement (`select`, `update`, `delete`, `insert`,
`exists`, `text`, or `session.get`) naming a table with an `organization_id` column, unless the
function names the organization (an identifier with `organization` in it, `owned_by`/`owned_*`,
the scoped base's `query()` or `narrowing()`) or builds a correlated subquery (which takes its
scope from the statement it is placed in). A flagged function must carry
`@across_organizations(why)`; there are no other exceptions. Raw SQL (`text()`) names its
tables as strings and is not seen: the only raw statements are PostgreSQL advisory locks.
A statement built from a module-level constant is not seen either (events' `UNSEQUENCED`
reads are declared all the same).
"""

import ast

import pytest

from chargeyard.storage import tables
from chargeyard.storage.base import Base
from chargeyard.storage.cross_organization import across_organizations, declared
from tests.storage.test_sql_placement import EXCEPTIONS as MAY_RUN_SQL
from tests.storage.test_sql_placement import PACKAGE, _allowed

assert tables  # registers every model on Base
ARCHITECTURE = PACKAGE.parents[1] / "docs" / "architecture.md"

TENANT_TABLES = frozenset(
    mapper.class_.__name__
    for mapper in Base.registry.mappers
    if "organization_id" in mapper.columns
)
BUILDS_SQL = {"select", "update", "delete", "insert", "exists", "text"}


def _names_the_organization(identifiers: set[str]) -> bool:
    return any(
        "organization" in name or name.startswith(("owned", "_owned")) for name in identifiers
    ) or bool({"query", "narrowing"} & identifiers)


def _decorated(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in node.decorator_list:
        called = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(called, ast.Name) and called.id == across_organizations.__name__:
            return True
    return False


def _statement_builders(body: ast.AST) -> set[str]:
    found = set()
    for call in ast.walk(body):
        if not isinstance(call, ast.Call):
            continue
        if isinstance(call.func, ast.Name) and call.func.id in BUILDS_SQL:
            found.add(call.func.id)
        elif isinstance(call.func, ast.Attribute):
            attr, receiver = call.func.attr, ast.unparse(call.func.value)
            if attr in BUILDS_SQL or (attr == "get" and receiver.endswith("session")):
                found.add(attr)
    return found


def unscoped_functions(source: str) -> dict[str, bool]:
    """Functions of `source` whose statements name a tenant table but no organization, each with
    whether it is declared `@across_organizations`."""
    found = {}
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if _decorated(node):
            found[node.name] = True
            continue
        body = ast.Module(body=node.body, type_ignores=[])  # annotations name models too
        names = {n.id for n in ast.walk(body) if isinstance(n, ast.Name)}
        attributes = {n.attr for n in ast.walk(body) if isinstance(n, ast.Attribute)}
        arguments = {a.arg for a in node.args.args + node.args.kwonlyargs}
        builders = _statement_builders(body)
        if not (names & TENANT_TABLES) or not builders:
            continue
        if "correlate" in attributes or "correlate_except" in attributes:
            continue
        if not _names_the_organization(names | attributes | arguments):
            found[node.name] = False
    return found


def _scan() -> dict[str, bool]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if not (_allowed(relative) or relative.as_posix() in MAY_RUN_SQL):
            continue
        for name, is_declared in unscoped_functions(path.read_text(encoding="utf-8")).items():
            found[f"{relative.as_posix()}:{name}"] = is_declared
    return found


def test_every_statement_across_organizations_is_declared() -> None:
    undeclared = {f for f, is_declared in _scan().items() if not is_declared}
    assert undeclared == set(), (
        "scope these through ScopedRepository.query()/owned_by(), or declare them "
        "@across_organizations(why) and list them in docs/architecture.md"
    )


def test_the_architecture_document_lists_every_declared_function() -> None:
    document = ARCHITECTURE.read_text(encoding="utf-8")
    declared_functions = {f for f, is_declared in _scan().items() if is_declared}
    assert len(declared_functions) > 30
    missing = {f for f in declared_functions if f"`{f.split(':')[1]}`" not in document}
    assert missing == set()


def test_the_scan_tells_scoped_from_unscoped_statements() -> None:
    source = (
        "async def scoped(self):\n"
        "    return await self.session.execute(self.query().where(Station.name == 'x'))\n"
        "async def by_hand(session, organization_id):\n"
        "    return select(Station).where(Station.organization_id == organization_id)\n"
        "async def owned(session, org):\n"
        "    return select(Station).where(owned_by(Station, org))\n"
        "async def leaks(session, station_id: Station):\n"
        "    return await session.get(Station, station_id)\n"
        "@across_organizations('the handshake')\n"
        "async def handshake(session, station_id):\n"
        "    return select(Station).where(Station.id == station_id)\n"
        "def child_only(session):\n"
        "    return select(Evse)\n"
        "def correlated(tx):\n"
        "    return select(Station.name).where(Station.id == tx).correlate_except(Station)\n"
        "def annotated(row: Station) -> None:\n"
        "    row.name = 'x'\n"
    )
    assert unscoped_functions(source) == {"leaks": False, "handshake": True}


def test_a_declaration_needs_a_reason_and_changes_nothing() -> None:
    def lookup() -> int:
        return 1

    assert across_organizations("the handshake")(lookup) is lookup
    assert declared(lookup) == "the handshake"
    assert declared(test_the_scan_tells_scoped_from_unscoped_statements) is None
    with pytest.raises(ValueError):
        across_organizations(" ")


def test_declared_functions_keep_their_reason_at_run_time() -> None:
    from chargeyard.stations.repository import find_station_for_connection

    assert "handshake" in (declared(find_station_for_connection) or "")


# Repositories that still compare `organization_id` by hand instead of going through the scoped
# base (`query()`, `owned_by()`, or `whole_organization()`), and how often: a ratchet. The count
# may only fall (lower it here when it does); a module not listed may not start. Each remaining
# one joins two tenant tables on their organization (column to column): no value of a caller's
# to narrow.
HAND_FILTERS = {
    "alerts/repository.py": 1,
    # The sequencer's correlation of each event with its own organization's webhook
    # subscriptions (`_subscribed`): a join across organizations, not a tenant's read.
    "events/repository.py": 1,
    "maintenance_windows/repository.py": 1,
}

# Where a statement names the organization through `whole_organization()`, leaving a site scope's
# narrowing out on purpose (the code decides itself what a narrowed caller sees: locations'
# subtrees and lineage, tariff groups' places, admission, the event sequence, pricing), and how
# often: a ratchet too. Anything else starts from `query()` or `owned_by()`, which narrow, so a
# new resource read by a site-scoped user cannot forget its sites.
WHOLE_ORGANIZATION = {
    "energy_costs/repository.py": 4,
    "events/repository.py": 2,
    "kpis/repository.py": 1,
    "load_management/admission_repository.py": 3,
    "load_management/repository.py": 1,
    "locations/repository.py": 7,
    "maintenance_windows/repository.py": 2,
    "permissions/repository.py": 1,
    "site_scopes/repository.py": 5,
    "tariff_groups/repository.py": 3,
    "tariffs/repository.py": 7,
}


def hand_filters(source: str) -> int:
    """How many `<table>.organization_id == <value>` comparisons `source` writes."""
    return sum(
        1
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Attribute)
        and node.left.attr == "organization_id"
        and isinstance(node.left.value, ast.Name)
        and node.left.value.id in TENANT_TABLES
        and all(isinstance(op, ast.Eq) for op in node.ops)
    )


def test_repositories_scope_through_the_base_not_by_hand() -> None:
    counts = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("storage/") or not _allowed(path.relative_to(PACKAGE)):
            continue
        found = hand_filters(path.read_text(encoding="utf-8"))
        if found or relative in HAND_FILTERS:
            counts[relative] = found
    grown = {m: n for m, n in counts.items() if n > HAND_FILTERS.get(m, 0)}
    assert grown == {}, "start from self.query() or owned_by(model, organization_id)"
    fallen = {m: n for m, n in counts.items() if n < HAND_FILTERS.get(m, 0)}
    assert fallen == {}, "fewer hand filters now: lower HAND_FILTERS to these counts"


def whole_organization_calls(source: str) -> int:
    """How many conditions `source` builds with `whole_organization(...)`."""
    return sum(
        1
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "whole_organization"
    )


def test_site_narrowing_is_left_out_only_where_it_was() -> None:
    counts = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("storage/"):
            continue
        found = whole_organization_calls(path.read_text(encoding="utf-8"))
        if found or relative in WHOLE_ORGANIZATION:
            counts[relative] = found
    grown = {m: n for m, n in counts.items() if n > WHOLE_ORGANIZATION.get(m, 0)}
    assert grown == {}, "start from self.query() or owned_by(model, organization_id)"
    fallen = {m: n for m, n in counts.items() if n < WHOLE_ORGANIZATION.get(m, 0)}
    assert fallen == {}, "fewer now: lower WHOLE_ORGANIZATION to these counts"


def test_the_hand_filter_count_sees_comparisons_on_tenant_tables() -> None:
    source = (
        "select(Station).where(Station.organization_id == org, Station.id == 'x')\n"
        "select(Evse).where(Evse.organization_id == org)\n"
        "select(Station).where(owned_by(Station, org))\n"
        "row.organization_id == org\n"
    )
    assert hand_filters(source) == 1


# Repository classes that do not subclass ScopedRepository, because no one table is theirs: each
# reads several tables (or, RecordRepository, any of several per call) and scopes its statements
# with owned_by() or a hand filter counted above; docs/architecture.md says why for each. A new
# repository subclasses ScopedRepository for its own table; this list may only shrink.
UNSCOPED_CLASSES = {
    "costing/repository.py:EvidenceRepository",
    "dashboard/repository.py:DashboardRepository",
    "kpis/repository.py:KpiRepository",
    "load_management/repository.py:RecordRepository",
    "load_management/repository.py:SiteRepository",
    "reports/repository.py:ReportRepository",
    "timeseries/repository.py:TimeseriesRepository",
}


def test_repository_classes_start_from_the_scoped_base() -> None:
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "storage" or not _allowed(relative):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and node.name.endswith("Repository"):
                bases = " ".join(ast.unparse(base) for base in node.bases)
                if "ScopedRepository" not in bases:
                    found.add(f"{relative.as_posix()}:{node.name}")
    assert found - UNSCOPED_CLASSES == set(), "subclass ScopedRepository[YourModel]"
    assert UNSCOPED_CLASSES - found == set(), "on the scoped base now: remove from the list"
