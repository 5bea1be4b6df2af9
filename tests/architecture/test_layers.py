"""The engine's layout holds: no import cycles between modules, no private name imported from
another package, no module past ~400 lines, and the UI reaching the engine only through its
public API (read from the source, so a change that breaks the layout fails here)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "indexer"
MAX_LINES = 400


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module imported, names taken from it) for every import in the file, wherever it is."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names]
    return found


def _sources() -> dict[str, Path]:
    return {_module(p): p for p in sorted(ENGINE.rglob("*.py"))}


def _resolve(target: str, name: str, modules: dict[str, Path]) -> str:
    """The module `from target import name` loads: a submodule, or target itself."""
    return f"{target}.{name}" if f"{target}.{name}" in modules else target


def _graph() -> dict[str, set[str]]:
    modules = _sources()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for target, names in _imports(path):
            for dep in {_resolve(target, n, modules) for n in names} or {target}:
                if dep in modules and dep != module:
                    graph[module].add(dep)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                return [*stack[stack.index(dep) :], dep]
            if dep not in state and (found := visit(dep)):
                return found
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_itself_back_through_others():
    assert _cycle(_graph()) is None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def _private_imports_across_packages() -> list[str]:
    bad = []
    modules = _sources()
    for module, path in modules.items():
        mine = _package(module, path)
        for target, names in _imports(path):
            if not target.startswith("indexer"):
                continue
            home = _package(target, modules.get(target, Path("x.py")))
            for name in names:
                if name.startswith("_") and home != mine and target != mine:
                    bad.append(f"{module} imports {target}.{name}")
    return bad


def test_no_private_name_is_imported_from_another_package():
    assert _private_imports_across_packages() == []


@pytest.mark.parametrize("path", sorted(ENGINE.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_past_four_hundred_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_the_app_reaches_the_engine_only_through_its_public_modules():
    allowed = {"indexer", "indexer.errors", "indexer.ipc", "indexer.logs", "indexer.cli"}
    reached = {
        f"{path.relative_to(ROOT)}: {target}"
        for path in sorted((ROOT / "desktop").rglob("*.py"))
        for target, _ in _imports(path)
        if target.startswith("indexer") and target not in allowed
    }
    assert reached == set()


def test_every_package_of_the_engine_is_in_the_readme_module_map():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tree = readme[readme.index("indexer/            the engine") : readme.index("\ntests/ ")]
    packages = sorted(p.parent.name for p in ENGINE.rglob("__init__.py") if p.parent != ENGINE)
    assert [p for p in packages if f"  {p}/" not in tree] == []
