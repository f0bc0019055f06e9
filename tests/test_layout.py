"""The shape of the code (design.md section 5): the engine imports nothing of the app and
has no import cycle, and the top of the package holds only what every feature shares."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "matchmaker"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The matchmaker modules a file imports when it loads (not under TYPE_CHECKING)."""
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "matchmaker"}


def test_the_engine_imports_nothing_of_the_app() -> None:
    for path in (PACKAGE / "matching").rglob("*.py"):
        outside = {m for m in imports_of(path) if not m.startswith("matchmaker.matching")}
        assert outside == set(), (path.name, outside)


def test_the_engine_has_no_import_cycle() -> None:
    modules = {module_name(p): p for p in (PACKAGE / "matching").rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        # A package's __init__ re-exports its modules; a module importing its own package's
        # face would be a cycle, which this catches too.
        graph[name] = {m for m in imports_of(path) if m in modules and m != name}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"import cycle: {error.args[1]}") from None


def test_the_top_of_the_package_holds_only_shared_modules() -> None:
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top
    prefixes = [name.split("_")[0] for name in top if "_" in name]
    assert len(prefixes) == len(set(prefixes)), top
