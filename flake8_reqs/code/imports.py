"""ImportRef: the imports of one module's AST, with the guards that decide whether they run."""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterator, Sequence
from typing import Any

from flake8_reqs.code.guards import (
    ANY_VERSION,
    Target,
    describe_versions,
    evaluate_guard,
    is_probe,
    probed_modules,
    versions_taking,
)
from flake8_reqs.named_tuple import NamedTuple


# A NamedTuple, not a frozen dataclass: it is defined on every editor run, and a
# dataclass takes half a millisecond to define (bench/README.md, editor latency).
class ImportRef(NamedTuple):
    """One module named by an import statement (or a literal dynamic import).

    ``module`` is the full dotted name as imported: ``a.b.c`` for ``import a.b.c``,
    ``a.b`` for ``from a.b import c``. ``names`` holds the names of a ``from`` import
    (``("c",)``), which may be submodules. ``guarded`` is true inside a ``try`` whose
    handler catches ImportError or ModuleNotFoundError, and in the branch of an ``if``
    that ``importlib.util.find_spec`` proved the module there. ``only_on`` says on which
    Pythons a ``sys.version_info`` guard runs the import when the target's version is
    unknown (``"before 3.11"``); empty when it runs on every one. A module named by a string rather
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
    only_on: str = ""

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

    Skipped: relative imports, ``__future__``, ``if TYPE_CHECKING:`` bodies (however
    ``TYPE_CHECKING`` was imported) and the branches of ``sys.version_info`` /
    ``sys.platform`` guards that ``target`` never takes. ``importlib.import_module("x")``
    and ``__import__("x")`` with a literal name count as imports. With ``import_lines``
    (from ``lines_mentioning_import``), a node whose lines mention no ``import`` is not
    walked into: most of a file is skipped.
    """
    collector = _Collector(target, relative, import_lines)
    collector.walk(tree)
    return collector.refs


def lines_mentioning_import(source: bytes | Sequence[str]) -> list[int]:
    """The (1-based, sorted) numbers of the lines of ``source`` that contain ``import``:
    every import statement, ``import_module`` and ``__import__`` is on one of them; and
    those that contain ``find_spec`` or ``find_loader``, where a probe may be bound to a
    name (``HAS_X = find_spec("x") is not None``).

    ``source`` is a file's bytes, or its lines as flake8 gives them (each ending in
    ``\\n``): joined, they are searched at C speed rather than line by line.
    """
    # Most files have no probe: "import" is found with str.find, and no pattern is compiled
    # (an editor's run pays for the compiling on every save). re's cache keeps the other.
    if isinstance(source, bytes):
        if b"find_" in source:
            starts = (match.start() for match in re.finditer(_IMPORT_OR_PROBE, source))
            return _numbers(source, starts, b"\n")
        return _numbers(source, _found(source, _IMPORT), b"\n")
    text = "".join(source)
    if "find_" in text:
        starts = (match.start() for match in re.finditer(_IMPORT_OR_PROBE.decode(), text))
        return _numbers(text, starts, "\n")
    return _numbers(text, _found(text, _IMPORT.decode()), "\n")


def _found(source: Any, word: Any) -> Iterator[int]:
    """Where ``word`` starts in ``source``, each time."""
    start = source.find(word)
    while start != -1:
        yield start
        start = source.find(word, start + len(word))


def _numbers(source: Any, starts: Iterator[int], newline: Any) -> list[int]:
    found: list[int] = []
    line, last = 1, 0
    for start in starts:
        line += source.count(newline, last, start)
        last = start
        if not found or found[-1] != line:
            found.append(line)
    return found


_IMPORT = b"import"
_IMPORT_OR_PROBE = b"import|find_spec|find_loader"
# The modules whose names guards use: ``from typing import TYPE_CHECKING as TC``,
# ``from sys import version_info``. A from-import of any other binds nothing guards read.
_GUARD_MODULES = frozenset({"typing", "typing_extensions", "sys", "os", "platform"})
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})
_DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})
_IMPORT_NODES = frozenset({ast.Import, ast.ImportFrom})
# A decorated definition's lines begin at its first decorator; its lineno is the def's.
_DECORATED = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
_TRY_NODES = tuple(getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name))
# Where a node is: (inside an ImportError guard, modules a probe proved there, the versions
# of an unknown target on which it runs). Children share their parent's tuple.
_Context = tuple[bool, frozenset[str], int]
_OUTSIDE: _Context = (False, frozenset(), ANY_VERSION)


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
        # What the imports walked so far bound: ``t`` -> ``typing``, ``TC`` ->
        # ``typing.TYPE_CHECKING``, ``version_info`` -> ``sys.version_info``.
        self.aliases: dict[str, str] = {}
        self.bound: dict[str, ast.expr] = {}  # names assigned a probe: HAS_X = find_spec(...)

    def walk(self, tree: ast.AST) -> None:
        # (node, where it is, the names a try tried relatively before this handler)
        stack: list[tuple[ast.AST, _Context, frozenset[str]]] = [(tree, _OUTSIDE, frozenset())]
        while stack:
            node, context, twins = stack.pop()
            if self.lines is not None and not self._mentions_import(node):
                continue
            self._collect(node, context, twins)
            # Reversed, so that the stack hands the children back in source order.
            children = self._children(node, context)
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
        decorated: Any = node
        if type(node) in _DECORATED and decorated.decorator_list:
            first = decorated.decorator_list[0].lineno
        last = getattr(node, "end_lineno", None) or first
        index = bisect.bisect_left(self.lines, first)
        return index < len(self.lines) and self.lines[index] <= last

    def _children(self, node: ast.AST, context: _Context) -> list[tuple[ast.AST, _Context]]:
        if type(node) in _IMPORT_NODES or (
            isinstance(node, ast.Expr) and type(node.value) is ast.Constant
        ):
            return []  # an import's names, a docstring: nothing more to find in them
        if isinstance(node, ast.If):
            return self._branches(node, context)
        if isinstance(node, _TRY_NODES):
            try_node: Any = node
            inner = context
            if not context[0] and any(_catches_import_error(h.type) for h in try_node.handlers):
                inner = (True, *context[1:])
            tried = _relative_names(try_node.body)
            for handler in try_node.handlers if tried else ():
                if _catches_import_error(handler.type):
                    self._tried_relatively[id(handler)] = tried
            rest = [*try_node.handlers, *try_node.orelse, *try_node.finalbody]
            return [(child, inner) for child in try_node.body] + [(c, context) for c in rest]
        if isinstance(node, (ast.With, ast.AsyncWith)):
            # contextlib.suppress(ImportError) guards its body like try/except does.
            inner = context
            if not context[0] and any(
                _is_suppress_import_error(i.context_expr) for i in node.items
            ):
                inner = (True, *context[1:])
            return [(item, context) for item in node.items] + [(c, inner) for c in node.body]
        if self.lines is None:
            return [(child, context) for child in ast.iter_child_nodes(node)]
        children: list[tuple[ast.AST, _Context]] = []
        for _, value in ast.iter_fields(node):
            if type(value) is ast.arguments and not self._in_signature(node):
                continue  # a parameter list has no position of its own to skip it by
            if isinstance(value, ast.AST):
                children.append((value, context))
            elif isinstance(value, list):
                if value and isinstance(value[0], ast.stmt):
                    value = self._near_imports(value)
                children += [(item, context) for item in value if isinstance(item, ast.AST)]
        return children

    def _in_signature(self, definition: Any) -> bool:
        """Whether a line of a function's parameters mentions import (they have positions,
        their list has none): from the ``def`` (or ``lambda``) to the last one's end."""
        lines = self.lines
        assert lines is not None
        params = definition.args
        last = definition.lineno
        for group in (params.posonlyargs, params.args, params.defaults, params.kwonlyargs):
            if group:
                last = max(last, group[-1].end_lineno or last)
        for one in (params.vararg, params.kwarg, *params.kw_defaults[-1:]):
            if one is not None:
                last = max(last, one.end_lineno or last)
        index = bisect.bisect_left(lines, definition.lineno)
        return index < len(lines) and lines[index] <= last

    def _near_imports(self, block: list[ast.stmt]) -> list[ast.stmt]:
        """The statements of ``block`` whose lines include a line that mentions import,
        found by bisection rather than one by one: a module or class of hundreds of
        statements has a few imports (the walk checks each statement it is handed again).
        Statements of a block follow each other; two share a line only across a ``;``."""
        lines = self.lines
        if lines is None or len(block) < 8:
            return block
        statements: list[Any] = block  # decorator_list: of the definitions only
        starts = [
            s.decorator_list[0].lineno if type(s) in _DECORATED and s.decorator_list else s.lineno
            for s in statements
        ]
        chosen: set[int] = set()
        index = bisect.bisect_left(lines, starts[0])
        last = block[-1].end_lineno or starts[-1]
        while index < len(lines) and lines[index] <= last:
            line = lines[index]
            position = bisect.bisect_right(starts, line) - 1
            while position >= 0 and (block[position].end_lineno or starts[position]) >= line:
                chosen.add(position)  # and any before it on the same line
                position -= 1
            index += 1
        return [block[position] for position in sorted(chosen)]

    def _branches(self, node: ast.If, context: _Context) -> list[tuple[ast.AST, _Context]]:
        """The test and the branches of an ``if`` that may run, each in its context."""
        guarded, present, versions = context
        taken = evaluate_guard(node.test, self.target, self.aliases)
        body, orelse = versions, versions
        if taken is None and self.target.version is None and self._mentions_version(node.test):
            body, orelse = versions_taking(node.test, self.target, self.aliases)
            body, orelse = body & versions, orelse & versions
            taken = False if not body else (True if not orelse else None)
        found: list[tuple[ast.AST, _Context]] = [(node.test, context)]
        if taken is not False:
            proved = probed_modules(node.test, True, self.bound)
            inner = (guarded, present | proved, body) if proved or body != versions else context
            found += [(child, inner) for child in node.body]
        if taken is not True:
            proved = probed_modules(node.test, False, self.bound)
            inner = (guarded, present | proved, orelse) if proved or orelse != versions else context
            found += [(child, inner) for child in node.orelse]
        return found

    def _mentions_version(self, test: ast.expr) -> bool:
        return any(
            (isinstance(node, ast.Attribute) and node.attr == "version_info")
            or (isinstance(node, ast.Name) and self.aliases.get(node.id) == "sys.version_info")
            for node in ast.walk(test)
        )

    def _collect(self, node: ast.AST, context: _Context, twins: frozenset[str]) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                elif self.aliases:  # ``import t`` binds t again
                    self.aliases.pop(alias.name.partition(".")[0], None)
                self._add(node, alias.name, context, fallback=_top(alias.name) in twins)
        elif isinstance(node, ast.ImportFrom):
            names = tuple(alias.name for alias in node.names)
            if node.level == 0 and node.module and node.module != "__future__":
                if node.module in _GUARD_MODULES:
                    for alias in node.names:
                        self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                fallback = _top(node.module) in twins
                self._add(node, node.module, context, names, fallback=fallback)
            elif node.level and self.relative:
                self._add(node, node.module or "", context, names, node.level)
        elif isinstance(node, ast.Call) and _called_name(node.func) in _DYNAMIC_IMPORTERS:
            first = node.args[0] if node.args else None
            if (
                isinstance(first, ast.Constant)
                and isinstance(first.value, str)
                and first.value
                and not first.value.startswith(".")
            ):
                self._add(node, first.value, context)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if (
                len(targets) == 1
                and isinstance(targets[0], ast.Name)
                and is_probe(node.value, self.bound)
            ):
                self.bound[targets[0].id] = node.value

    def _add(
        self,
        node: ast.AST,
        module: str,
        context: _Context,
        names: tuple[str, ...] = (),
        level: int = 0,
        *,
        fallback: bool = False,
    ) -> None:
        line, col = getattr(node, "lineno", 1), getattr(node, "col_offset", 0)
        if (module, level, line, col) in self._seen:  # one report per module per statement
            return
        self._seen.add((module, level, line, col))
        guarded, present, versions = context
        if present and not guarded:
            guarded = any(_is_within(module, probed) for probed in present)
        only_on = "" if versions == ANY_VERSION else describe_versions(versions)
        ref = ImportRef(module, line, col, names, guarded, level, fallback, only_on=only_on)
        self.refs.append(ref)


def _is_within(module: str, probed: str) -> bool:
    """Whether importing ``module`` is safe where ``probed`` was found: one is the other,
    or a package of it (finding ``x.y`` imports ``x``)."""
    return module == probed or module.startswith(f"{probed}.") or probed.startswith(f"{module}.")


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
