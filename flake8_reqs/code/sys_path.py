"""The folders a module puts on sys.path itself: ``sys.path.insert(0, ...)`` and ``append``.

Only what can be known without running the module: a string literal, or an ``os.path`` /
``pathlib`` expression built from ``__file__`` (``os.path.dirname(os.path.abspath(__file__))``,
``Path(__file__).resolve().parents[1] / "lib"``), perhaps through a module-level name
assigned such an expression before. Only statements at module level count (also inside a
module-level ``if``, ``try`` or ``with``): a function may never be called.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

from flake8_reqs.named_tuple import NamedTuple

# (is relative to the file, path parts after it); ".." parts are kept, applied at the end.
_Value = tuple[bool, tuple[str, ...]]
_IDENTITY = frozenset({"abspath", "realpath", "normpath", "resolve", "absolute", "str", "fspath"})
_IDENTITY |= {"expanduser"}
_BLOCKS = (ast.If, ast.Try, ast.With) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())


# A NamedTuple, not a frozen dataclass: it is defined on every editor run (bench/README.md).
class PathAddition(NamedTuple):
    """A folder a module puts on sys.path at ``line``: ``path`` from the module's own file
    (``from_file``: ``..`` is its folder) or, for a literal, as written."""

    line: int
    from_file: bool
    path: str

    def folder(self, filename: str, start: Path) -> str:
        """The absolute folder: from ``filename``, or a relative literal from ``start``
        (the folder the program is taken to run from: its project's root)."""
        base = os.path.abspath(filename) if self.from_file else os.fspath(start)
        return os.path.normpath(os.path.join(base, self.path))


def path_additions(tree: ast.AST) -> tuple[PathAddition, ...]:
    """Every folder the module at ``tree`` adds to sys.path at module level, in line order."""
    names: dict[str, _Value | None] = {}
    found: list[PathAddition] = []
    for node in _module_level(tree):
        try:
            _read_statement(node, names, found)
        except RecursionError:  # an expression nested a thousand deep: not one we can follow
            for target in getattr(node, "targets", [getattr(node, "target", None)]):
                if isinstance(target, ast.Name):
                    names[target.id] = None
    return tuple(found)


def _read_statement(
    node: ast.stmt, names: dict[str, _Value | None], found: list[PathAddition]
) -> None:
    """Note what an assignment binds a name to, or the folder a sys.path call adds."""
    if isinstance(node, ast.Assign):
        value = _evaluate(node.value, names)
        for target in node.targets:
            if isinstance(target, ast.Name):
                names[target.id] = value
    elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        names[node.target.id] = _evaluate(node.value, names) if node.value else None
    elif isinstance(node, ast.Expr):
        added = _added_folder(node.value, names)
        if added is not None:
            from_file, parts = added
            path = os.path.join(*parts) if parts else "."
            found.append(PathAddition(node.lineno, from_file, path))


def _module_level(tree: ast.AST) -> Iterator[ast.stmt]:
    """The statements of the module, also in the blocks of its module-level if/try/with."""
    stack = list(reversed(getattr(tree, "body", [])))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, _BLOCKS):
            children: list[ast.stmt] = [*getattr(node, "body", [])]
            for field in ("orelse", "finalbody"):
                children += getattr(node, field, [])
            for handler in getattr(node, "handlers", []):
                children += handler.body
            stack.extend(reversed(children))


def _added_folder(call: ast.expr, names: dict[str, _Value | None]) -> _Value | None:
    """The folder of ``sys.path.insert(i, folder)`` or ``sys.path.append(folder)``."""
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in ("insert", "append")
        and _dotted(call.func.value) == "sys.path"
    ):
        return None
    arguments = call.args[1:] if call.func.attr == "insert" else call.args
    return _evaluate(arguments[0], names) if len(arguments) == 1 else None


def _evaluate(node: ast.expr, names: dict[str, _Value | None]) -> _Value | None:
    """The path ``node`` evaluates to, or None when it is not one this module can follow."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (False, (node.value,))
    if isinstance(node, ast.Name):
        return (True, ()) if node.id == "__file__" else names.get(node.id)
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        return _parent(_evaluate(node.value, names), 1)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
        index = node.slice
        if (
            node.value.attr == "parents"
            and isinstance(index, ast.Constant)
            and type(index.value) is int
            and index.value >= 0
        ):
            return _parent(_evaluate(node.value.value, names), index.value + 1)
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):  # Path / "lib"
        return _joined(_evaluate(node.left, names), [_evaluate(node.right, names)])
    if isinstance(node, ast.Call) and not node.keywords:
        return _called(node, names)
    return None


def _called(node: ast.Call, names: dict[str, _Value | None]) -> _Value | None:
    arguments = [_evaluate(argument, names) for argument in node.args]
    if isinstance(node.func, ast.Attribute) and node.func.attr in ("resolve", "absolute"):
        return None if node.args else _evaluate(node.func.value, names)  # Path(...).resolve()
    if isinstance(node.func, ast.Attribute) and node.func.attr == "joinpath":
        return _joined(_evaluate(node.func.value, names), arguments)
    function = _dotted(node.func)
    if function is None:
        return None
    last = function.rpartition(".")[2]
    if last in ("Path", "PurePath", "join") and arguments:
        return _joined(arguments[0], arguments[1:])
    if len(arguments) != 1:
        return None
    if last == "dirname":
        return _parent(arguments[0], 1)
    return arguments[0] if last in _IDENTITY else None


def _parent(value: _Value | None, levels: int) -> _Value | None:
    if value is None:
        return None
    return value[0], (*value[1], *[".."] * levels)


def _joined(value: _Value | None, more: list[_Value | None]) -> _Value | None:
    if value is None:
        return None
    parts = list(value[1])
    for item in more:
        if item is None or item[0]:  # only literal parts can follow the first
            return None
        if os.path.isabs(os.path.join(*item[1])):
            return item  # os.path.join drops what came before an absolute part
        parts += item[1]
    return value[0], tuple(parts)


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a chain of attributes on a name; a loop, as the chain may be long."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else None
