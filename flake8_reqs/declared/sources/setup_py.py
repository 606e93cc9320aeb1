"""setup.py, read through ast and never run: the literal arguments of its setup() calls."""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

from flake8_reqs.declared.requirements import Declared, Requirement
from flake8_reqs.declared.sources.metadata import (
    extra_selectors,
    parse_requirements,
    split_extras,
)
from flake8_reqs.errors import ReqsInputError
from flake8_reqs.inputs import read_bytes

NOT_RUN = "flake8-reqs reads setup.py without running it"


def read_setup_py(path: Path, display: str) -> Declared:
    """What the ``setup()`` calls of a setup.py declare with literal arguments.

    Raises ReqsInputError when the file cannot be read. Arguments that are not literals
    (or module-level names bound once to literals) are errors; a file with no ``setup()``
    call declares nothing.
    """
    source = read_bytes(path, display)
    try:
        with warnings.catch_warnings():
            # A SyntaxWarning (such as an invalid escape) is not ours to report.
            warnings.simplefilter("ignore")
            # Bytes, so that ast honours a coding declaration and a BOM as Python does.
            tree = ast.parse(source, filename=display)
    except SyntaxError as exc:
        return Declared(
            errors=(ReqsInputError(display, exc.lineno or None, f"not valid Python: {exc.msg}"),)
        )
    except ValueError as exc:  # NUL bytes (before 3.12)
        return Declared(errors=(ReqsInputError(display, None, f"not valid Python: {exc}"),))
    except (RecursionError, MemoryError):  # absurd nesting
        return Declared(errors=(ReqsInputError(display, None, "nested too deeply to be read"),))
    reading = _Reading(display, _module_constants(tree))
    for call in _setup_calls(tree):
        reading.read_call(call)
    return reading.declared()


def _setup_calls(tree: ast.Module) -> list[ast.Call]:
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call) and _is_setup(node.func)]
    return sorted(calls, key=lambda call: (call.lineno, call.col_offset))


def _is_setup(func: ast.expr) -> bool:
    """``setup``, ``setuptools.setup`` or ``distutils.core.setup``."""
    if isinstance(func, ast.Name):
        return func.id == "setup"
    if not isinstance(func, ast.Attribute) or func.attr != "setup":
        return False
    owner = func.value
    return (isinstance(owner, ast.Name) and owner.id == "setuptools") or (
        isinstance(owner, ast.Attribute)
        and owner.attr == "core"
        and isinstance(owner.value, ast.Name)
        and owner.value.id == "distutils"
    )


def _module_constants(tree: ast.Module) -> dict[str, ast.expr]:
    """Names bound exactly once at module level, to the expression they are bound to.

    ``install_requires=REQUIREMENTS`` is common; a name bound twice (or augmented) is
    left out, as only running the module would tell which value setup() sees.
    """
    bound: dict[str, ast.expr | None] = {}
    for statement in tree.body:
        for name, value in _bindings(statement):
            bound[name] = value if name not in bound else None
    return {name: value for name, value in bound.items() if value is not None}


def _bindings(statement: ast.stmt) -> list[tuple[str, ast.expr | None]]:
    if isinstance(statement, ast.Assign):
        targets = [target.id for target in statement.targets if isinstance(target, ast.Name)]
        simple = len(targets) == 1 == len(statement.targets)
        return [(name, statement.value if simple else None) for name in targets]
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return [(statement.target.id, statement.value)]
    if isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
        return [(statement.target.id, None)]
    return []


class _Reading:
    """What the setup() calls of one file declare so far, and the errors found."""

    def __init__(self, display: str, constants: dict[str, ast.expr]) -> None:
        self.display = display
        self.constants = constants
        self.runtime: list[Requirement] = []
        self.groups: list[tuple[str, tuple[Requirement, ...]]] = []
        self.strings: dict[str, str] = {}
        self.errors: list[ReqsInputError] = []

    def declared(self) -> Declared:
        return Declared(
            runtime=tuple(self.runtime),
            groups=tuple(self.groups),
            requires_python=self.strings.get("python_requires"),
            project_name=self.strings.get("name"),
            errors=tuple(self.errors),
            selectors=extra_selectors(self.groups, self.display, "extras_require"),
        )

    def read_call(self, call: ast.Call) -> None:
        given = {keyword.arg for keyword in call.keywords}
        for keyword in call.keywords:
            if keyword.arg == "install_requires":
                items = self._strings(keyword.arg, keyword.value)
                self.runtime.extend(parse_requirements(items, self.display, self.errors))
            elif keyword.arg == "extras_require":
                self._read_extras(keyword.value)
            elif keyword.arg in ("name", "python_requires"):
                self._read_string(keyword.arg, keyword.value)
            elif keyword.arg is None and "install_requires" not in given:
                message = f"setup(**...) may pass install_requires, which is not read; {NOT_RUN}"
                self._error(keyword.value, message)

    def _read_string(self, keyword: str, node: ast.expr) -> None:
        # Not an error when dynamic: messages do not need the name or python_requires.
        value = _literal(self._resolve(node))
        if isinstance(value, str) and keyword not in self.strings:
            self.strings[keyword] = value

    def _read_extras(self, node: ast.expr) -> None:
        node = self._resolve(node)
        if not isinstance(node, ast.Dict) or None in node.keys:
            self._not_literal("extras_require", node, "a dict of lists of strings")
            return
        extras = []
        for key, value in zip(node.keys, node.values):
            extra = None if key is None else _literal(key)
            if key is None or not isinstance(extra, str):
                self._error(value, "extras_require keys must be strings")
                continue
            items = self._strings(f"extras_require['{extra}']", value)
            reqs = parse_requirements(items, self.display, self.errors)
            extras.append((extra, key.lineno, reqs))
        runtime, groups = split_extras(extras, self.display, "extras_require", self.errors)
        self.runtime.extend(runtime)
        self.groups.extend(groups)

    def _strings(self, label: str, node: ast.expr) -> list[tuple[str, int]]:
        """(text, line) of the requirement strings in ``node``: a list, tuple or string."""
        node = self._resolve(node)
        value = _literal(node)
        if isinstance(value, str):  # setuptools also takes one requirement per line
            # A triple-quoted string spans the lines it lists; "a\\nb" stays on one.
            last = node.end_lineno or node.lineno
            lines = enumerate(value.split("\n"))
            return [
                (line.strip(), min(node.lineno + n, last)) for n, line in lines if _is_item(line)
            ]
        if not isinstance(node, (ast.List, ast.Tuple)):
            self._not_literal(label, node, "a list of strings")
            return []
        items = []
        for number, element in enumerate(node.elts, start=1):
            text = _literal(element)
            if isinstance(text, str):
                items.append((text, element.lineno))
            else:
                self._not_literal(f"{label} item {number}", element, "a string")
        return items

    def _not_literal(self, label: str, node: ast.expr, expected: str) -> None:
        value = _literal(node)
        if value is _NOT_LITERAL:
            self._error(node, f"{label} is not a literal; {NOT_RUN}")
        else:
            self._error(node, f"{label} must be {expected}, not {type(value).__name__}")

    def _resolve(self, node: ast.expr) -> ast.expr:
        if isinstance(node, ast.Name) and node.id in self.constants:
            return self.constants[node.id]
        return node

    def _error(self, node: ast.expr, message: str) -> None:
        self.errors.append(ReqsInputError(self.display, node.lineno, message))


_NOT_LITERAL = object()


def _literal(node: ast.expr) -> object:
    """The value of a literal expression; _NOT_LITERAL for anything else. Evaluates nothing."""
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _NOT_LITERAL


def _is_item(line: str) -> bool:
    return bool(line.strip()) and not line.strip().startswith("#")
