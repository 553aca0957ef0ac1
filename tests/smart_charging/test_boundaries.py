"""The optimizer imports no database, web or OCPP code: stdlib, numpy and highspy only."""

import ast
import sys
from pathlib import Path

import chargeyard.smart_charging
from tests.support.source import parse

ALLOWED = {"numpy", "highspy"}


def test_smart_charging_imports_only_stdlib_numpy_highspy_and_itself() -> None:
    package = Path(chargeyard.smart_charging.__file__).parent
    found: set[str] = set()
    for module in package.glob("*.py"):
        for node in ast.walk(parse(module)):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
    outside = {
        name
        for name in found
        if name.split(".")[0] not in ALLOWED | set(sys.stdlib_module_names)
        and not name.startswith("chargeyard.smart_charging")
    }
    assert "numpy" in {n.split(".")[0] for n in found}
    assert outside == set()
