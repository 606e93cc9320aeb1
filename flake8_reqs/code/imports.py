"""ImportRef: the imports of one module's AST, with the guards that decide whether they run."""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from flake8_reqs.code.guards import Target, evaluate_guard


# A NamedTuple, not a frozen dataclass: it is defined on every editor run, and a
# dataclass takes half a millisecond to define (bench/README.md, editor latency).
class ImportRef(NamedTuple):
    """One module named by an import statement (or a literal dynamic import).

    ``module`` is the full dotted name as imported: ``a.b.c`` for ``import a.b.c``,
    ``a.b`` for ``from a.b import c``. ``names`` holds the names of a ``from`` import
    (``("c",)``), which may be submodules. ``guarded`` is true inside a ``try`` whose
    handler catches ImportError or ModuleNotFoundError. A module named by a string rather
    than an import statement (``code/settings_uses.py``) says how in ``use`` ("is named in
    INSTALLED_APPS"), and lists in ``alternatives`` the modules that would do instead of it
    (a database engine loads ``psycopg`` or ``psycopg2``).
    """

    module: str
    line: int
    col: int
    names: tuple[str, ...] = ()
    guarded: bool = False
    level: int = 0  # dots of a relative import; only with extract_imports(relative=True)
    # In the handler of a ``try`` that imported the same module relatively first
    # (``from .helpers import x`` / ``except ImportError: from helpers import x``): the
    # file's own neighbour, imported absolutely when the file runs as a script.
    fallback: bool = False
    use: str = ""  # how a string names it, as messages say it; "" for an import statement
    alternatives: tuple[str, ...] = ()  # modules that would do instead of this one

    @property
    def top_level(self) -> str:
        return self.module.partition(".")[0]


def extract_imports(
    tree: ast.AST,
    target: Target,
    *,
    relative: bool = False,
    import_lines: Sequence[int] | None = None,
) -> list[ImportRef]:
    """Every import in ``tree`` that can run on ``target``, in source order.

    Skipped: relative imports, ``__future__``, ``if TYPE_CHECKING:`` bodies and the
    branches of ``sys.version_info`` / ``sys.platform`` guards that ``target`` never
    takes. ``importlib.import_module("x")`` and ``__import__("x")`` with a literal
    name count as imports. With ``import_lines`` (from ``lines_mentioning_import``), a
    node whose lines mention no ``import`` is not walked into: most of a file is skipped.
    """
    collector = _Collector(target, relative, import_lines)
    collector.walk(tree)
    return collector.refs


def lines_mentioning_import(source: bytes | Sequence[str]) -> list[int]:
    """The (1-based, sorted) numbers of the lines of ``source`` that contain ``import``:
    every import statement, ``import_module`` and ``__import__`` is on one of them."""
    if isinstance(source, bytes):
        found: list[int] = []
        line, last = 1, 0
        for match in re.finditer(b"import", source):
            line += source.count(b"\n", last, match.start())
            last = match.start()
            if not found or found[-1] != line:
                found.append(line)
        return found
    return [number for number, text in enumerate(source, 1) if "import" in text]


_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})
_TRY_NODES = tuple(getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name))


class _Collector:
    """An explicit-stack walk: generated code and computer algebra (sympy) nest expressions
    deeper than Python's recursion limit, which a recursive NodeVisitor does not survive."""

    def __init__(self, target: Target, relative: bool, lines: Sequence[int] | None) -> None:
        self.target = target
        self.relative = relative
        self.lines = lines
        self.refs: list[ImportRef] = []
        self._seen: set[tuple[str, int, int, int]] = set()
        self._tried_relatively: dict[int, frozenset[str]] = {}  # id(handler) -> names

    def walk(self, tree: ast.AST) -> None:
        # (node, inside an import guard, the names a try tried relatively before this handler)
        stack: list[tuple[ast.AST, bool, frozenset[str]]] = [(tree, False, frozenset())]
        while stack:
            node, guarded, twins = stack.pop()
            if self.lines is not None and not self._mentions_import(node):
                continue
            self._collect(node, guarded, twins)
            # Reversed, so that the stack hands the children back in source order.
            children = self._children(node, guarded)
            if isinstance(node, ast.ExceptHandler) and node.body:
                twins = twins | self._tried_relatively.get(id(node), frozenset())
            stack.extend((child, inner, twins) for child, inner in reversed(children))

    def _mentions_import(self, node: ast.AST) -> bool:
        """Whether ``node``'s lines include one that mentions ``import`` (True when the
        node has no position, as a module or a match case)."""
        assert self.lines is not None
        first = getattr(node, "lineno", None)
        if first is None:
            return True
        last = getattr(node, "end_lineno", None) or first
        index = bisect.bisect_left(self.lines, first)
        return index < len(self.lines) and self.lines[index] <= last

    def _children(self, node: ast.AST, guarded: bool) -> list[tuple[ast.AST, bool]]:
        if isinstance(node, ast.If):
            taken = evaluate_guard(node.test, self.target)
            nodes: list[ast.AST] = [node.test]
            if taken is not False:
                nodes += node.body
            if taken is not True:
                nodes += node.orelse
            return [(child, guarded) for child in nodes]
        if isinstance(node, _TRY_NODES):
            try_node: Any = node
            inner = guarded or any(_catches_import_error(h.type) for h in try_node.handlers)
            tried = _relative_names(try_node.body)
            for handler in try_node.handlers if tried else ():
                if _catches_import_error(handler.type):
                    self._tried_relatively[id(handler)] = tried
            rest = [*try_node.handlers, *try_node.orelse, *try_node.finalbody]
            return [(child, inner) for child in try_node.body] + [(c, guarded) for c in rest]
        if isinstance(node, (ast.With, ast.AsyncWith)):
            # contextlib.suppress(ImportError) guards its body like try/except does.
            inner = guarded or any(_is_suppress_import_error(i.context_expr) for i in node.items)
            return [(item, guarded) for item in node.items] + [(c, inner) for c in node.body]
        return [(child, guarded) for child in ast.iter_child_nodes(node)]

    def _collect(self, node: ast.AST, guarded: bool, twins: frozenset[str]) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                self._add(node, alias.name, guarded, fallback=_top(alias.name) in twins)
        elif isinstance(node, ast.ImportFrom):
            names = tuple(alias.name for alias in node.names)
            if node.level == 0 and node.module and node.module != "__future__":
                fallback = _top(node.module) in twins
                self._add(node, node.module, guarded, names, fallback=fallback)
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
        *,
        fallback: bool = False,
    ) -> None:
        line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
        if (module, level, line, col) in self._seen:  # one report per module per statement
            return
        self._seen.add((module, level, line, col))
        self.refs.append(ImportRef(module, line, col, names, guarded, level, fallback))


def _top(module: str) -> str:
    return module.partition(".")[0]


def _relative_names(body: Sequence[ast.stmt]) -> frozenset[str]:
    """The top-level names of the relative imports in a try's body: ``helpers`` for
    ``from .helpers import x`` and for ``from . import helpers``."""
    names: set[str] = set()
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.ImportFrom) and node.level:
                if node.module:
                    names.add(_top(node.module))
                else:
                    names.update(alias.name for alias in node.names)
    return frozenset(names)


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _catches_import_error(handler_type: ast.expr | None) -> bool:
    if handler_type is None:  # a bare ``except:`` catches ImportError too
        return True
    pending = [handler_type]  # tuples in tuples, however deep, without recursion
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Tuple):
            pending.extend(node.elts)
        elif _called_name(node) in _IMPORT_ERRORS:
            return True
    return False


def _is_suppress_import_error(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Call)
        and _called_name(expr.func) == "suppress"
        and any(_catches_import_error(arg) for arg in expr.args)
    )
