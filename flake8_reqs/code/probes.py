"""Optional-import probes: the modules an ``if find_spec("x") is not None:`` branch knows exist."""

from __future__ import annotations

import ast
from collections.abc import Mapping

# importlib.util.find_spec, importlib.find_loader, pkgutil.find_loader: by the called name,
# however it was imported (``from importlib.util import find_spec``, ``util.find_spec``),
# as imports.py recognises import_module.
PROBES = frozenset({"find_spec", "find_loader"})
_NOTHING: frozenset[str] = frozenset()


def probed_modules(test: ast.expr, outcome: bool, bound: Mapping[str, ast.expr]) -> frozenset[str]:
    """The modules that exist wherever ``test`` is ``outcome``: ``{"x"}`` for
    ``find_spec("x") is not None`` and True, or for ``not find_spec("x")`` and False.

    ``bound`` maps names to the probe expressions assigned to them (``spec =
    find_spec("x")``, ``HAS_X = find_spec("x") is not None``), so ``if spec:`` counts.
    """
    if isinstance(test, ast.Name) and test.id in bound:
        return probed_modules(bound[test.id], outcome, bound)
    if isinstance(test, ast.NamedExpr):
        return probed_modules(test.value, outcome, bound)
    if isinstance(test, ast.Call):
        module = _probed(test)
        return frozenset({module}) if module is not None and outcome else _NOTHING
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return probed_modules(test.operand, not outcome, bound)
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and _is_none(test.comparators[0]):
        if isinstance(test.ops[0], (ast.IsNot, ast.NotEq)):
            return probed_modules(test.left, outcome, bound)
        if isinstance(test.ops[0], (ast.Is, ast.Eq)):
            return probed_modules(test.left, not outcome, bound)
        return _NOTHING
    # Every operand of a true ``and`` holds, and no operand of a false ``or``.
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) is outcome:
        return frozenset().union(*(probed_modules(value, outcome, bound) for value in test.values))
    return _NOTHING


def is_probe(value: ast.expr, bound: Mapping[str, ast.expr]) -> bool:
    """Whether an assigned ``value`` tells of a module's existence either way."""
    return bool(probed_modules(value, True, bound) or probed_modules(value, False, bound))


def _probed(call: ast.Call) -> str | None:
    """``"x"`` for ``find_spec("x")`` and the other probes, with a literal absolute name."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if name not in PROBES or not call.args:
        return None
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        module = first.value
        if (
            module
            and not module.startswith(".")
            and all(part.isidentifier() for part in module.split("."))
        ):
            return module
    return None


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None
