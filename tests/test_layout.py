"""The package's layout: folders are layers that only look down, and no two modules import
each other, however indirectly (CONTRIBUTING.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import flake8_reqs
from flake8_reqs.cache import stamped

PACKAGE = Path(flake8_reqs.__file__).parent
# Lower layers first. A module may import its own layer and the layers before it, never a
# later one: the flake8 glue and the commands sit on top of what they use.
LAYERS = (
    ("flake8_reqs", "flake8_reqs.named_tuple"),
    ("flake8_reqs.errors", "flake8_reqs.codes", "flake8_reqs.problems"),
    ("flake8_reqs.options",),
    ("flake8_reqs.settings", "flake8_reqs.inputs", "flake8_reqs.cache", "flake8_reqs.data_files"),
    ("flake8_reqs.toml_document",),
    ("flake8_reqs.flake8_config",),
    ("flake8_reqs.code",),
    ("flake8_reqs.declared",),
    ("flake8_reqs.system",),
    ("flake8_reqs.project",),
    ("flake8_reqs.checks",),
    ("flake8_reqs.full_path",),
    ("flake8_reqs.plugin",),
    ("flake8_reqs.commands",),
    ("flake8_reqs.__main__",),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path) -> set[str]:
    """Every flake8_reqs module ``path`` imports, at any depth (in functions, under
    TYPE_CHECKING): a lazy import is still a dependency."""
    names = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name in MODULES} - {module_name(path)}


GRAPH = {name: imported(path) for name, path in MODULES.items()}


def layer_of(module: str) -> int:
    matches = [
        (len(prefix), index)
        for index, layer in enumerate(LAYERS)
        for prefix in layer
        if module == prefix or module.startswith(prefix + ".")
    ]
    return max(matches)[1]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in stack:
                low[node] = min(low[node], index[child])
    return found


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles():
    assert cycles(GRAPH) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_look_down(module):
    upward = sorted(name for name in GRAPH[module] if layer_of(name) > layer_of(module))
    assert upward == [], f"{module} (layer {layer_of(module)}) imports a layer above it"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_says_what_it_owns_and_stays_small(module):
    path = MODULES[module]
    text = path.read_text(encoding="utf-8")
    assert text.startswith('"""'), f"{path}: the first line is a docstring saying what it owns"
    assert text.count("\n") <= 400, f"{path}: over 400 lines; split it by job"


def test_the_stamped_cache_watches_every_package_folder():
    folders = {path.parent for path in PACKAGE.rglob("*.py")} | {PACKAGE / "data"}
    assert {Path(folder) for folder in stamped.OWN_FOLDERS} == folders
