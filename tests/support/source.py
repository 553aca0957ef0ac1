"""Reading the project's own source as syntax trees, for tests that check the code itself."""

import ast
import gc
from pathlib import Path


def parse(path: Path) -> ast.Module:
    """`ast.parse` with the garbage collector held off: on CPython 3.11.7 a collection during
    parsing that runs Python finalizers (an earlier test's leftover asyncio task logging its
    destruction) makes the parser fail with "AST constructor recursion depth mismatch"."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return ast.parse(path.read_text(), str(path))
    finally:
        if enabled:
            gc.enable()
