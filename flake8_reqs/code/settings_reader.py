"""Reading the strings that name imports from a module's AST: settings, drivers, URLs.

The rules are in ``code/settings_uses.py``; this is the reader it imports for a module
that passes its cheap test. Which settings and drivers count is ``data/settings_uses.toml``.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from flake8_reqs.code.guards import Target, evaluate_guard
from flake8_reqs.code.imports import ImportRef
from flake8_reqs.data_files import load_data
from flake8_reqs.named_tuple import NamedTuple

MARKERS = ("INSTALLED_APPS", "MIDDLEWARE")  # a module that assigns one is a settings module
ENVIRON_KEY = "DJANGO_SETTINGS_MODULE"
# The project's own settings module: followed by the import graph, never checked (a
# settings module is first-party, wherever manage.py puts it on sys.path).
SETTINGS_MODULE_USE = f"is named in {ENVIRON_KEY}"
_URL = re.compile(r"([a-z][a-z0-9]*)\+([a-z][a-z0-9_]*)://")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError"})
_TRY_NODES = tuple(getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name))
_MAX_DEPTH = 32  # names that refer to names: deeper than any settings module goes
_ADDING = {"append": 0, "extend": 0, "insert": 1, "update": 0}  # method -> argument added


class _Pattern(NamedTuple):
    keys: tuple[str, ...]  # below the setting: ("*", "ENGINE") for DATABASES.*.ENGINE
    kind: str  # "module" or "object"
    shown: str  # "DATABASES ENGINE", as messages name it


class _Bound(NamedTuple):
    """A module-level name's value, with the names as they were when it was assigned."""

    value: ast.expr
    names: Mapping[str, _Bound]


def read_uses(tree: ast.AST, target: Target, *, settings: bool = False) -> list[ImportRef]:
    """Every string use in a parsed module, in source order: the settings' dotted paths when
    it is a settings module (or ``settings``), DJANGO_SETTINGS_MODULE and URLs anywhere."""
    refs: list[ImportRef] = []
    if isinstance(tree, ast.Module):
        reader = _SettingsReader(target)
        reader.read(tree.body)
        if settings or reader.is_settings:
            refs += reader.refs
    refs += _other_uses(tree)
    unique = {(ref.module, ref.line, ref.col, ref.use): ref for ref in refs}
    return sorted(unique.values(), key=lambda ref: (ref.line, ref.col))


def settings_module_names(tree: ast.AST) -> list[str]:
    """The modules a literal ``DJANGO_SETTINGS_MODULE`` names in ``tree`` (manage.py's)."""
    return [ref.module for ref in _other_uses(tree) if ref.use == SETTINGS_MODULE_USE]


@functools.cache
def _tables() -> tuple[
    Mapping[str, tuple[_Pattern, ...]],
    Mapping[str, tuple[str, ...]],
    Mapping[str, tuple[str, ...]],
    Mapping[str, tuple[str, ...]],
]:
    """Patterns by setting, submodules by setting, driver modules by engine and by URL."""
    data = load_data("settings_uses.toml")
    patterns: dict[str, list[_Pattern]] = {}
    for path, kind in data["paths"].items():
        setting, *keys = path.split(".")
        shown = (key if key.isidentifier() else f"'{key}'" for key in keys if key != "*")
        words = [setting, *shown]
        patterns.setdefault(setting, []).append(_Pattern(tuple(keys), kind, " ".join(words)))
    drivers = {name: tuple(entry["modules"]) for name, entry in data["drivers"].items()}
    urls = {name: tuple(entry["modules"]) for name, entry in data["urls"].items()}
    submodules = {name: tuple(names) for name, names in data["autodiscovered"].items()}
    return {k: tuple(v) for k, v in patterns.items()}, submodules, drivers, urls


def driver_providers() -> Mapping[str, tuple[str, ...]]:
    """Driver module -> the distributions that provide it, for messages."""
    return {
        module: tuple(names)
        for module, names in load_data("settings_uses.toml")["providers"].items()
    }


class _SettingsReader:
    """The module-level statements of a settings module, in order."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.patterns, self.submodules, self.drivers, _ = _tables()
        self.names: dict[str, _Bound] = {}
        self.refs: list[ImportRef] = []
        self.is_settings = False

    def read(self, body: Sequence[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.If):
                taken = evaluate_guard(node.test, self.target)
                if taken is not False:
                    self.read(node.body)
                if taken is not True:
                    self.read(node.orelse)
            elif isinstance(node, _TRY_NODES):
                statement: Any = node
                # Under an ImportError guard a setting is optional, and the import statement
                # beside it is what the checks see (REQ003).
                if not any(_catches_import_error(h.type) for h in statement.handlers):
                    self.read(statement.body)
                for handler in statement.handlers:
                    self.read(handler.body)
                self.read(statement.orelse)
                self.read(statement.finalbody)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    self._assign(target, node.value, augmented=False)
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                self._assign(node.target, node.value, augmented=False)
            elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
                self._assign(node.target, node.value, augmented=True)
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                self._call(node.value)

    def _assign(self, target: ast.expr, value: ast.expr, *, augmented: bool) -> None:
        path = _path_of(target)
        if path is None:
            return
        name, keys = path
        if not keys:
            # Bound with the names as they are now: ``X = X + [...]`` refers to the X before.
            bound = value
            if augmented and name in self.names:
                bound = ast.BinOp(left=ast.Name(id=name), op=ast.Add(), right=value)
            self.names[name] = _Bound(bound, dict(self.names))
        self._named(name, keys, value)

    def _call(self, call: ast.Call) -> None:
        """``X.append(v)``, ``X.extend(v)``, ``X.insert(i, v)``, ``X.update(v, key=v)``: an
        element added is looked through like a list of one."""
        func = call.func
        if not isinstance(func, ast.Attribute):
            return
        position = _ADDING.get(func.attr)
        path = _path_of(func.value)
        if position is None or path is None:
            return
        name, keys = path
        if position < len(call.args):
            self._named(name, keys, call.args[position])
        if func.attr == "update" and call.keywords:
            keywords = [k for k in call.keywords if k.arg is not None]
            as_dict = ast.Dict(
                keys=[ast.Constant(value=k.arg) for k in keywords],
                values=[k.value for k in keywords],
            )
            self._named(name, keys, as_dict)

    def _named(self, setting: str, keys: tuple[str, ...], value: ast.expr) -> None:
        """The uses of ``value`` assigned at ``setting[keys...]``."""
        if setting in MARKERS:
            self.is_settings = True
        for pattern in self.patterns.get(setting, ()):
            if len(keys) > len(pattern.keys) or not all(
                want in ("*", key) for want, key in zip(pattern.keys, keys)
            ):
                continue
            rest = pattern.keys[len(keys) :]
            for node in _strings(value, rest, self.names, 0):
                self._add(setting, pattern, node)

    def _add(self, setting: str, pattern: _Pattern, node: ast.Constant) -> None:
        path = str(node.value)
        if _DOTTED.fullmatch(path) is None:
            return
        module = path if pattern.kind == "module" else path.rpartition(".")[0]
        if not module:
            return
        names = self.submodules.get(setting, ())
        line, col = node.lineno, node.col_offset
        self.refs.append(ImportRef(module, line, col, names, use=f"is named in {pattern.shown}"))
        driver = self.drivers.get(path)
        if driver:
            key = pattern.keys[-1] if pattern.keys else setting
            use = f"is loaded by {key} '{path}' in {setting}"
            self.refs.append(ImportRef(driver[0], line, col, use=use, alternatives=driver[1:]))


def _path_of(node: ast.expr) -> tuple[str, tuple[str, ...]] | None:
    """``DATABASES["default"]["ENGINE"]`` -> ("DATABASES", ("default", "ENGINE")); list
    indexes are left out (a list is looked through). None for anything else."""
    keys: list[str] = []
    while isinstance(node, ast.Subscript):
        index: Any = node.slice
        if not isinstance(index, ast.Constant) or isinstance(index.value, bool):
            return None
        if isinstance(index.value, str):
            keys.insert(0, index.value)
        elif not isinstance(index.value, int):
            return None
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return node.id, tuple(keys)


def _strings(
    node: ast.expr, keys: tuple[str, ...], names: Mapping[str, _Bound], depth: int
) -> Iterator[ast.Constant]:
    """The string constants found at ``keys`` below ``node``, looking through lists, tuples,
    ``+`` of them and names bound to literals. Anything else yields nothing."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, ast.Name):
        bound = names.get(node.id)
        if bound is not None:
            yield from _strings(bound.value, keys, bound.names, depth + 1)
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for element in node.elts:
            inner = element.value if isinstance(element, ast.Starred) else element
            yield from _strings(inner, keys, names, depth + 1)
    elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        # Lists added up are looked through (a list on either side makes the other one a
        # list too, or the addition fails); strings added up are computed values.
        if _is_sequence(node.left, names, depth) or _is_sequence(node.right, names, depth):
            yield from _strings(node.left, keys, names, depth + 1)
            yield from _strings(node.right, keys, names, depth + 1)
    elif not keys:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node
    elif isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values):
            if key is None:  # {**BASE, ...}
                yield from _strings(value, keys, names, depth + 1)
            elif isinstance(key, ast.Constant) and keys[0] in ("*", key.value):
                yield from _strings(value, keys[1:], names, depth + 1)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        for keyword in node.keywords if not node.args else ():
            if keyword.arg is None:
                yield from _strings(keyword.value, keys, names, depth + 1)
            elif keys[0] in ("*", keyword.arg):
                yield from _strings(keyword.value, keys[1:], names, depth + 1)


def _is_sequence(node: ast.expr, names: Mapping[str, _Bound], depth: int) -> bool:
    if depth > _MAX_DEPTH:
        return False
    if isinstance(node, ast.Name):
        bound = names.get(node.id)
        return bound is not None and _is_sequence(bound.value, bound.names, depth + 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_sequence(node.left, names, depth + 1) or _is_sequence(
            node.right, names, depth + 1
        )
    return isinstance(node, (ast.List, ast.Tuple))


def _other_uses(tree: ast.AST) -> list[ImportRef]:
    """``DJANGO_SETTINGS_MODULE`` literals and SQLAlchemy URLs anywhere in ``tree``; a
    string that is a statement of its own (a docstring) names nothing."""
    urls = _tables()[3]
    statements = set()
    refs = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr):
            statements.add(id(node.value))
        elif isinstance(node, (ast.Call, ast.Assign)):
            module = _settings_module_literal(node)
            if module is not None:
                refs.append(ImportRef(str(module.value), *_place(module), use=SETTINGS_MODULE_USE))
        elif isinstance(node, (ast.Constant, ast.JoinedStr)) and id(node) not in statements:
            text = node.value if isinstance(node, ast.Constant) else _f_string_start(node)
            match = _URL.match(text) if isinstance(text, str) else None
            modules = urls.get(f"{match[1]}+{match[2]}") if match is not None else None
            if match is not None and modules:
                use = f"is loaded by the database URL '{match[1]}+{match[2]}://'"
                refs.append(ImportRef(modules[0], *_place(node), use=use, alternatives=modules[1:]))
    return refs


def _place(node: ast.expr) -> tuple[int, int]:
    return node.lineno, node.col_offset


def _settings_module_literal(node: ast.Call | ast.Assign) -> ast.Constant | None:
    """The module of ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "module")`` or of
    ``os.environ["DJANGO_SETTINGS_MODULE"] = "module"``."""
    if isinstance(node, ast.Assign):
        value = node.value if _is_environ_key(node.targets[0]) else None
    else:
        func, args = node.func, node.args
        is_setdefault = isinstance(func, ast.Attribute) and func.attr == "setdefault"
        if not (is_setdefault and len(args) == 2 and isinstance(args[0], ast.Constant)):
            return None
        value = args[1] if args[0].value == ENVIRON_KEY else None
    if (
        isinstance(value, ast.Constant)
        and isinstance(value.value, str)
        and _DOTTED.fullmatch(value.value)
    ):
        return value
    return None


def _is_environ_key(target: ast.expr) -> bool:
    """``os.environ["DJANGO_SETTINGS_MODULE"]`` (any mapping subscripted with the key)."""
    if not isinstance(target, ast.Subscript):
        return False
    index: Any = target.slice
    return isinstance(index, ast.Constant) and index.value == ENVIRON_KEY


def _f_string_start(node: ast.JoinedStr) -> str | None:
    first = node.values[0] if node.values else None
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None


def _catches_import_error(handler: ast.expr | None) -> bool:
    if handler is None:
        return True
    if isinstance(handler, ast.Tuple):
        return any(_catches_import_error(element) for element in handler.elts)
    name = handler.id if isinstance(handler, ast.Name) else getattr(handler, "attr", None)
    return name in _IMPORT_ERRORS
