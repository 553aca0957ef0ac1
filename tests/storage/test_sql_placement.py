"""SQL lives in repositories (docs/architecture.md), and this scan keeps it there.

A module may import SQLAlchemy, or run a statement on a session (`session.execute`, `scalar`,
`scalars`, `stream`, `get`), only if it is in `storage/`, a `models.py` (the tables), or a
repository module (`repository.py`, `*_repository.py`). The exceptions are named below, each
with its reason, and each must still need its exception (a stale one fails too). Adding or
removing mapped objects through the unit of work (`session.add`, `delete`, `flush`) is not SQL a
module writes and stays allowed; import-linter (pyproject.toml) keeps services, endpoints, the
dashboard and the OCPP adapter from importing SQLAlchemy at all.
"""

import ast
from pathlib import Path

import chargeyard

PACKAGE = Path(chargeyard.__file__).parent

RUNS_SQL = {"execute", "scalar", "scalars", "stream", "stream_scalars", "get"}

EXCEPTIONS = {
    "stations/service.py": (
        "the one unscoped lookup on registering a station, whose id is unique across "
        "organizations (the answer to a taken id is the same whoever holds it); the OCPP hot "
        "path's service, which the lead engineer is rebuilding"
    ),
    "site_scopes/scope.py": (
        "builds the site predicate ScopedRepository.query() and owned_by() apply: it is the "
        "scoping base's own filter, not a query"
    ),
    "commands/runner.py": (
        "listens for the unit of work's flush (sqlalchemy.event) to tell whether a command "
        "changed rows; runs no SQL"
    ),
    "cli/tokens.py": "parses a database URL (sqlalchemy.engine.make_url); runs no SQL",
    "security/secret_key.py": "parses a database URL (sqlalchemy.engine.make_url); runs no SQL",
}


def _allowed(relative: Path) -> bool:
    return (
        relative.parts[0] == "storage"
        or relative.name in ("models.py", "repository.py")
        or relative.name.endswith("_repository.py")
    )


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def _sql_uses(source: str) -> list[str]:
    """What in this module imports SQLAlchemy or runs a statement on a session (line: what)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = _dotted(node.func.value)
            if node.func.attr in RUNS_SQL and receiver.split(".")[-1] == "session":
                found.append(f"{node.lineno}: {receiver}.{node.func.attr}()")
            continue
        else:
            continue
        found += [f"{node.lineno}: import {n}" for n in names if n.split(".")[0] == "sqlalchemy"]
    return found


def _uses_by_module() -> dict[str, list[str]]:
    uses = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if _allowed(relative):
            continue
        found = _sql_uses(path.read_text(encoding="utf-8"))
        if found:
            uses[relative.as_posix()] = found
    return uses


def test_sql_is_written_only_in_repositories_storage_and_models() -> None:
    uses = _uses_by_module()
    unexplained = {module: found for module, found in uses.items() if module not in EXCEPTIONS}
    assert unexplained == {}, "move this SQL into the package's repository (or storage/)"


def test_every_exception_is_still_needed() -> None:
    stale = set(EXCEPTIONS) - set(_uses_by_module())
    assert stale == set(), "these modules no longer need an exception: remove it"


def test_the_scan_sees_imports_and_statements() -> None:
    source = (
        "import sqlalchemy\n"
        "from sqlalchemy.orm import Session\n"
        "async def f(uow):\n"
        "    await uow.session.execute(q)\n"
        "    await self.session.scalars(q)\n"
        "    uow.session.add(row)\n"
        "    client.execute(q)\n"
    )
    assert _sql_uses(source) == [
        "1: import sqlalchemy",
        "2: import sqlalchemy.orm",
        "4: uow.session.execute()",
        "5: self.session.scalars()",
    ]


UNIT_OF_WORK_CHANGES = {"add", "add_all", "delete", "merge"}


def _rows_changed_on_the_session(source: str) -> list[str]:
    """Where `source` adds or deletes mapped rows on a session itself (line: what)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = _dotted(node.func.value)
            if node.func.attr in UNIT_OF_WORK_CHANGES and receiver.split(".")[-1] == "session":
                found.append(f"{node.lineno}: {receiver}.{node.func.attr}()")
    return found


def test_rows_are_added_and_deleted_through_repositories() -> None:
    # The unit of work's add/delete is not SQL, but which rows a use case writes is storage's
    # business all the same (docs/architecture.md): a service, a job or an adapter asks its
    # repository.
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if _allowed(relative):
            continue
        changes = _rows_changed_on_the_session(path.read_text(encoding="utf-8"))
        if changes:
            found[relative.as_posix()] = changes
    assert found == {}, "add a method to the package's repository (or use ScopedRepository.add)"


def test_the_scan_sees_rows_changed_on_a_session() -> None:
    source = (
        "def f(uow, session):\n"
        "    uow.session.add(row)\n"
        "    session.add_all(rows)\n"
        "    await self.uow.session.delete(row)\n"
        "    self.repository.add(row)\n"
        "    items.add(x)\n"
    )
    assert _rows_changed_on_the_session(source) == [
        "2: uow.session.add()",
        "3: session.add_all()",
        "4: self.uow.session.delete()",
    ]
