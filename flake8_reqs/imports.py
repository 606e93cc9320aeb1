"""ImportRef: the imports of one module's AST, with the guards that decide whether they run."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from flake8_reqs.guards import Target, evaluate_guard


@dataclass(frozen=True)
class ImportRef:
    """One module named by an import statement (or a literal dynamic import).

    ``module`` is the full dotted name as imported: ``a.b.c`` for ``import a.b.c``,
    ``a.b`` for ``from a.b import c``. ``names`` holds the names of a ``from`` import
    (``("c",)``), which may be submodules. ``guarded`` is true inside a ``try`` whose
    handler catches ImportError or ModuleNotFoundError.
    """

    module: str
    line: int
    col: int
    names: tuple[str, ...] = ()
    guarded: bool = False
    level: int = 0  # dots of a relative import; only with extract_imports(relative=True)

    @property
    def top_level(self) -> str:
        return self.module.partition(".")[0]


def extract_imports(tree: ast.AST, target: Target, *, relative: bool = False) -> list[ImportRef]:
    """Every import in ``tree`` that can run on ``target``, in source order.

    Skipped: relative imports, ``__future__``, ``if TYPE_CHECKING:`` bodies and the
    branches of ``sys.version_info`` / ``sys.platform`` guards that ``target`` never
    takes. ``importlib.import_module("x")`` and ``__import__("x")`` with a literal
    name count as imports.
    """
    collector = _Collector(target, relative)
    collector.visit(tree)
    return collector.refs


_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})


class _Collector(ast.NodeVisitor):
    def __init__(self, target: Target, relative: bool) -> None:
        self.target = target
        self.relative = relative
        self.refs: list[ImportRef] = []
        self._guard_depth = 0
        self._seen: set[tuple[str, int, int, int]] = set()

    def _add(self, node: ast.AST, module: str, names: tuple[str, ...] = (), level: int = 0) -> None:
        line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
        if (module, level, line, col) in self._seen:  # one report per module per statement
            return
        self._seen.add((module, level, line, col))
        guarded = self._guard_depth > 0
        self.refs.append(ImportRef(module, line, col, names, guarded, level))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        names = tuple(alias.name for alias in node.names)
        if node.level == 0 and node.module and node.module != "__future__":
            self._add(node, node.module, names)
        elif node.level and self.relative:
            self._add(node, node.module or "", names, node.level)

    def visit_Call(self, node: ast.Call) -> None:
        name = _called_name(node.func)
        if name in _DYNAMIC_IMPORTERS and node.args:
            first = node.args[0]
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and first.value
                and not first.value.startswith(".")
            ):
                self._add(node, first.value)
        self.generic_visit(node)

    def visit_If(self, node: ast.If) -> None:
        taken = evaluate_guard(node.test, self.target)
        self.visit(node.test)
        if taken is not False:
            self._visit_all(node.body)
        if taken is not True:
            self._visit_all(node.orelse)

    def visit_Try(self, node: ast.Try) -> None:
        self._visit_try(node)

    def visit_TryStar(self, node: ast.AST) -> None:  # except* (3.11+), same shape as Try
        self._visit_try(node)

    def _visit_try(self, node: Any) -> None:
        guarded = any(_catches_import_error(handler.type) for handler in node.handlers)
        self._guard_depth += guarded
        self._visit_all(node.body)
        self._guard_depth -= guarded
        for part in (node.handlers, node.orelse, node.finalbody):
            self._visit_all(part)

    def visit_With(self, node: ast.With) -> None:
        # contextlib.suppress(ImportError) guards its body like try/except does.
        guarded = any(_is_suppress_import_error(item.context_expr) for item in node.items)
        for item in node.items:
            self.visit(item)
        self._guard_depth += guarded
        self._visit_all(node.body)
        self._guard_depth -= guarded

    def _visit_all(self, nodes: list[Any]) -> None:
        for child in nodes:
            self.visit(child)


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _catches_import_error(handler_type: ast.expr | None) -> bool:
    if handler_type is None:  # a bare ``except:`` catches ImportError too
        return True
    if isinstance(handler_type, ast.Tuple):
        return any(_catches_import_error(element) for element in handler_type.elts)
    return _called_name(handler_type) in _IMPORT_ERRORS


def _is_suppress_import_error(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Call)
        and _called_name(expr.func) == "suppress"
        and any(_catches_import_error(arg) for arg in expr.args)
    )
