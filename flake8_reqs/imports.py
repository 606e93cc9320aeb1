"""ImportRef: the imports of one module's AST, with the guards that decide whether they run."""

from __future__ import annotations

import ast
from typing import Any, NamedTuple

from flake8_reqs.guards import Target, evaluate_guard


# A NamedTuple, not a frozen dataclass: it is defined on every editor run, and a
# dataclass takes half a millisecond to define (bench/README.md, editor latency).
class ImportRef(NamedTuple):
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


def extract_imports(
    tree: ast.AST, target: Target, *, relative: bool = False, dynamic: bool = True
) -> list[ImportRef]:
    """Every import in ``tree`` that can run on ``target``, in source order.

    Skipped: relative imports, ``__future__``, ``if TYPE_CHECKING:`` bodies and the
    branches of ``sys.version_info`` / ``sys.platform`` guards that ``target`` never
    takes. ``importlib.import_module("x")`` and ``__import__("x")`` with a literal
    name count as imports; with ``dynamic=False`` (for a source that
    ``may_import_dynamically`` says has none) expressions are not visited at all,
    which makes the walk several times faster.
    """
    collector = _Collector(target, relative, dynamic)
    collector.walk(tree)
    return collector.refs


def may_import_dynamically(source: str | bytes) -> bool:
    """Whether ``source`` can hold a dynamic import, which only a walk through every
    expression finds. A cheap text test, so most files are walked statement by statement."""
    if isinstance(source, bytes):
        return b"import_module" in source or b"__import__" in source
    return "import_module" in source or "__import__" in source


_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})
_TRY_NODES = tuple(getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name))
# The fields that hold statements: imports are statements, so a walk that looks for
# statements alone goes through these and never into an expression.
_BODIES = ("body", "handlers", "orelse", "finalbody", "cases")


class _Collector:
    """An explicit-stack walk: generated code and computer algebra (sympy) nest expressions
    deeper than Python's recursion limit, which a recursive NodeVisitor does not survive."""

    def __init__(self, target: Target, relative: bool, dynamic: bool) -> None:
        self.target = target
        self.relative = relative
        self.dynamic = dynamic
        self.refs: list[ImportRef] = []
        self._seen: set[tuple[str, int, int, int]] = set()

    def walk(self, tree: ast.AST) -> None:
        stack: list[tuple[ast.AST, bool]] = [(tree, False)]  # (node, inside an import guard)
        while stack:
            node, guarded = stack.pop()
            self._collect(node, guarded)
            # Reversed, so that the stack hands the children back in source order.
            stack.extend(reversed(self._children(node, guarded)))

    def _children(self, node: ast.AST, guarded: bool) -> list[tuple[ast.AST, bool]]:
        if isinstance(node, ast.If):
            taken = evaluate_guard(node.test, self.target)
            nodes: list[ast.AST] = [node.test] if self.dynamic else []
            if taken is not False:
                nodes += node.body
            if taken is not True:
                nodes += node.orelse
            return [(child, guarded) for child in nodes]
        if isinstance(node, _TRY_NODES):
            try_node: Any = node
            inner = guarded or any(_catches_import_error(h.type) for h in try_node.handlers)
            rest = [*try_node.handlers, *try_node.orelse, *try_node.finalbody]
            return [(child, inner) for child in try_node.body] + [(c, guarded) for c in rest]
        if isinstance(node, (ast.With, ast.AsyncWith)):
            # contextlib.suppress(ImportError) guards its body like try/except does.
            inner = guarded or any(_is_suppress_import_error(i.context_expr) for i in node.items)
            items = [(item, guarded) for item in node.items] if self.dynamic else []
            return items + [(c, inner) for c in node.body]
        if self.dynamic:
            return [(child, guarded) for child in ast.iter_child_nodes(node)]
        children = []
        for field in _BODIES:
            value = getattr(node, field, None)
            if isinstance(value, list):  # not Lambda.body or IfExp.body, which are expressions
                children += [(child, guarded) for child in value]
        return children

    def _collect(self, node: ast.AST, guarded: bool) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self._add(node, alias.name, guarded)
        elif isinstance(node, ast.ImportFrom):
            names = tuple(alias.name for alias in node.names)
            if node.level == 0 and node.module and node.module != "__future__":
                self._add(node, node.module, guarded, names)
            elif node.level and self.relative:
                self._add(node, node.module or "", guarded, names, node.level)
        elif isinstance(node, ast.Call) and _called_name(node.func) in _DYNAMIC_IMPORTERS:
            first = node.args[0] if node.args else None
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and first.value
                and not first.value.startswith(".")
            ):
                self._add(node, first.value, guarded)

    def _add(
        self,
        node: ast.AST,
        module: str,
        guarded: bool,
        names: tuple[str, ...] = (),
        level: int = 0,
    ) -> None:
        line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
        if (module, level, line, col) in self._seen:  # one report per module per statement
            return
        self._seen.add((module, level, line, col))
        self.refs.append(ImportRef(module, line, col, names, guarded, level))


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
